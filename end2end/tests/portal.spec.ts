import { expect, test } from "@playwright/test";
import { expectAccessible, expectDemoBanner, jsEnabled, waitForIsland } from "./helpers";

test.describe("public disclosure", () => {
  test("home page shows counts, latest records and the repair entry", async ({ page }, testInfo) => {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    await expect(page).toHaveTitle(/信用中国（黑龙江鹤岗）/);
    await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
    await expectDemoBanner(page);
    await expect(page.getByRole("heading", { name: "最新行政处罚" })).toBeVisible();
    await expect(page.locator(".stat-number").first()).toHaveText(/^[1-9]\d*$/);
    await expect(page.getByRole("link", { name: "了解信用修复条件与流程" })).toBeVisible();
    await expectAccessible(page, testInfo);
  });

  test("search → subject → record", async ({ page }, testInfo) => {
    // Find an organisation from the latest penalties on the home page.
    await page.goto("/search?type=penalty");
    await waitForIsland(page, testInfo);
    const firstOrg = page.locator(".hit", { hasText: "统一社会信用代码" }).filter({ hasText: "有限" }).first();
    const fullName = (await firstOrg.locator(".hit-title a").innerText()).trim();
    const brand = fullName.replace(/^(鹤岗市|鹤岗|黑龙江|向阳区|工农区|南山区|兴安区|东山区|兴山区|萝北县|绥滨县)/, "").slice(0, 2);

    // Search by two characters of its name.
    await page.goto("/search");
    await waitForIsland(page, testInfo);
    await page.getByLabel("名称、统一社会信用代码或决定书文号").fill(brand);
    await page.getByRole("button", { name: "查询" }).click();
    await expect(page).toHaveURL(new RegExp(`/search\\?q=${encodeURIComponent(brand)}`));
    await expect(page.locator(".result-count")).toContainText("条公示信息");
    await expect(page.getByLabel("名称、统一社会信用代码或决定书文号")).toHaveValue(brand);
    const hit = page.locator(".hit-title a", { hasText: fullName }).first();
    await expect(hit).toBeVisible();
    await expectAccessible(page, testInfo);

    // The record page: all public fields, period, status and repair information.
    await hit.click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText(/行政(处罚|许可)决定/);
    await expect(page.getByText("公示期", { exact: true })).toBeVisible();
    await expect(page.getByText("公示中", { exact: true })).toBeVisible();
    await expect(page.locator(".repair-explanation")).not.toBeEmpty();
    await expect(page.getByText("决定书文号").or(page.getByText("行政许可决定文书号")).first()).toBeVisible();
    await expectAccessible(page, testInfo);

    // The subject page lists everything public about it.
    await page.getByRole("link", { name: "查看该主体的全部公示信息" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(fullName);
    await expect(page.getByRole("heading", { name: /公示中的信息（\d+ 条）/ })).toBeVisible();
    await expect(page.locator(".records-table tbody tr").first()).toBeVisible();
    await expectAccessible(page, testInfo);
  });

  test("a credit code with a wrong check character gets a hint", async ({ page }, testInfo) => {
    await page.goto("/search");
    await waitForIsland(page, testInfo);
    const field = page.getByLabel("名称、统一社会信用代码或决定书文号");
    if (jsEnabled(testInfo)) {
      // Checked in the browser as it is typed, by the shared domain code.
      await field.pressSequentially("91110108551385082A");
      await expect(page.locator("#q-hint")).toContainText("校验位不符");
      await field.fill("91110108551385082Q");
      await expect(page.locator("#q-hint")).toContainText("校验通过");
    } else {
      await field.fill("91110108551385082A");
      await page.getByRole("button", { name: "查询" }).click();
      await expect(page.locator(".notice")).toContainText("校验位不符");
    }
    await expectAccessible(page, testInfo);
  });

  test("filters and pages work (in place with JavaScript, by reload without)", async ({ page }, testInfo) => {
    await page.goto("/search");
    await waitForIsland(page, testInfo);
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42)).catch(() => {});
    await page.getByLabel("信息类别").selectOption("license");
    if (!jsEnabled(testInfo)) {
      await page.getByRole("button", { name: "查询" }).click();
    }
    await expect(page).toHaveURL(/type=license/);
    await expect(page.locator(".hit .kind-tag").first()).toHaveText("行政许可");
    await expect(page.locator(".hit .kind-tag", { hasText: "行政处罚" })).toHaveCount(0);

    await page.getByRole("link", { name: "第 2 页" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.locator('.pager a[aria-current="page"]')).toHaveText("2");
    if (jsEnabled(testInfo)) {
      // Same document: the marker set before filtering survived, so no reload happened.
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
    }
    await expectAccessible(page, testInfo);
  });

  test("an empty result helps the user", async ({ page }, testInfo) => {
    await page.goto("/search?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E5%90%8D%E7%A7%B0");
    await waitForIsland(page, testInfo);
    await expect(page.locator(".empty-state")).toContainText("未找到");
    await expect(page.getByRole("link", { name: "清除全部条件" })).toBeVisible();
    await expectAccessible(page, testInfo);
  });

  test("bad input gets a clear message, not an error page", async ({ page }, testInfo) => {
    const response = await page.goto("/search?page=999999");
    expect(response?.status()).toBe(400);
    await waitForIsland(page, testInfo);
    await expect(page.getByRole("alert")).toContainText("页码");
    await expectAccessible(page, testInfo);
  });

  test("unknown pages and records answer 404", async ({ page }, testInfo) => {
    for (const path of ["/no-such-page", "/penalties/999999999", "/penalties/abc", "/subjects/91110108551385082Q"]) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("未找到");
      await expectDemoBanner(page);
    }
    await expectAccessible(page, testInfo);
  });

  test("serious list, repair guide and policies are readable", async ({ page }, testInfo) => {
    await page.goto("/serious-list");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("严重失信主体名单");
    await expect(page.locator(".hit").first()).toBeVisible();
    await expectAccessible(page, testInfo);

    await page.goto("/repair");
    await expect(page.getByText("信用修复全程免费")).toBeVisible();
    await expectAccessible(page, testInfo);

    await page.goto("/policies");
    await expect(page.getByRole("heading", { name: /鹤信用发〔2022〕1号/ })).toBeVisible();
    await expect(page.getByRole("heading", { name: "一、指导思想" })).toBeVisible();
    await expectAccessible(page, testInfo);
  });

  test("the large-text display (大字版) is one link away and stays on", async ({ page }, testInfo) => {
    await page.goto("/search?q=%E9%B9%A4%E5%B2%97");
    const body = page.locator("body");
    await expect(body).toHaveCSS("font-size", "16px");
    await page.getByRole("link", { name: "大字版" }).click();
    await expect(page).toHaveURL(/\/search\?q=%E9%B9%A4%E5%B2%97$/);
    await expect(page.locator("html")).toHaveClass(/large-text/);
    await expect(body).toHaveCSS("font-size", "20px");
    await expectAccessible(page, testInfo);
    // It stays on from page to page, console and repair pages included.
    await page.goto("/repair/track");
    await expect(page.locator("html")).toHaveClass(/large-text/);
    await expectAccessible(page, testInfo);
    await page.getByRole("link", { name: "标准版" }).click();
    await expect(page).toHaveURL(/\/repair\/track$/);
    await expect(page.locator("html")).not.toHaveClass(/large-text/);
  });
});

import { expect, test } from "@playwright/test";
import { expectAccessible, expectDemoBanner } from "./helpers";

test("transparency: the figures per department and month, charts with tables, a refused period", async ({ page }, testInfo) => {
  // From the footer of any page.
  await page.goto("/");
  await page.getByRole("link", { name: "信用工作透明度" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("信用工作透明度");
  await expectDemoBanner(page);
  // Twelve months to this one (the test portal's today is 2026-11-26).
  await expect(page.getByText("统计期：2025年12月至2026年11月")).toBeVisible();
  await expect(page.getByLabel("统计起始月份")).toHaveValue("2025-12");

  // Each chart is an image with a name, and a table beside it.
  await expect(page.getByRole("img", { name: /信用修复申请：每月收到与办结件数/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /异议申诉：每月收到与办结件数/ })).toBeVisible();
  const byMonth = page.getByRole("table", { name: "信用修复申请：按月份" });
  await expect(byMonth.getByRole("row")).toHaveCount(13);
  await expect(byMonth.getByRole("rowheader").first()).toHaveText("2025年12月");
  await expect(page.getByRole("heading", { name: "统计口径" })).toBeVisible();
  await expectAccessible(page, testInfo);

  // The same figures as JSON.
  const json = await page.getByRole("link", { name: "本页数据（JSON 开放接口）" }).getAttribute("href");
  const answer = await page.request.get(json!);
  expect(answer.status()).toBe(200);
  const body = await answer.json();
  expect(body.from).toBe("2025-12");
  expect(body.months).toHaveLength(12);

  // A period over 24 months is refused with the field named; the form stays.
  await page.getByLabel("统计起始月份").fill("2024-01");
  await page.getByRole("button", { name: "查看" }).click();
  await expect(page.getByRole("alert")).toContainText("统计期最长 24 个月");
  await expect(page.getByLabel("统计起始月份")).toBeVisible();
  await expectAccessible(page, testInfo);

  // A shorter period.
  await page.getByLabel("统计起始月份").fill("2026-09");
  await page.getByLabel("统计截止月份").fill("2026-11");
  await page.getByRole("button", { name: "查看" }).click();
  await expect(page.getByText("统计期：2026年9月至2026年11月")).toBeVisible();
  await expect(page.getByRole("table", { name: "信用修复申请：按月份" }).getByRole("row")).toHaveCount(4);
  await expectAccessible(page, testInfo);
});

import { expect, test } from "@playwright/test";
import { expectAccessible, waitForIsland } from "./helpers";

test("a subject's credit report: choose a period, print or download it, verify it", async ({ page }, testInfo) => {
  // An organisation from the latest penalties.
  await page.goto("/search?type=penalty");
  await waitForIsland(page, testInfo);
  const org = page.locator(".hit", { hasText: "统一社会信用代码" }).filter({ hasText: "有限" }).first();
  const name = (await org.locator(".hit-title a").innerText()).trim();
  await org.locator(".hit-title a").click();
  await page.getByRole("link", { name: "查看该主体的全部公示信息" }).click();
  const docNo = (await page.locator(".records-table tbody tr td a").first().innerText()).trim();

  // The report, from the subject page.
  await page.getByRole("link", { name: /生成信用信息报告/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("信用信息报告");
  await expect(page.getByText(name).first()).toBeVisible();
  await expect(page.getByText(docNo).first()).toBeVisible();
  await expect(page.getByText("演示数据：本报告中的主体和信息均为虚构")).toBeVisible();
  await expect(page.getByRole("img", { name: "报告核验二维码" })).toBeVisible();
  const number = (await page.locator(".report-head dd.mono").first().innerText()).trim();
  expect(number).toMatch(/^BG\d{13}$/);
  await expectAccessible(page, testInfo);

  // A period over five years is refused, the field named; the form stays.
  await page.getByLabel("报告期起始日期").fill("2019-01-01");
  await page.getByRole("button", { name: "生成报告" }).click();
  await expect(page.getByRole("alert")).toContainText("报告期最长 5 年");
  await expectAccessible(page, testInfo);
  await page.getByLabel("报告期起始日期").fill("2026-01-01");
  await page.getByRole("button", { name: "生成报告" }).click();
  await expect(page.getByText("2026年1月1日至2026年11月26日")).toBeVisible();

  // The PDF downloads.
  const pdfHref = await page.getByRole("link", { name: "下载 PDF 报告" }).getAttribute("href");
  expect(pdfHref).toContain("/report.pdf?from=2026-01-01&to=2026-11-26");
  const pdf = await page.request.get(pdfHref!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()["content-type"]).toBe("application/pdf");
  expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

  // Verify: the link the QR code carries, then a tampered hash by hand.
  await page.getByRole("link", { name: "报告核验" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("信用信息报告核验");
  await expect(page.getByRole("status")).toContainText("校验值相符");
  await expectAccessible(page, testInfo);
  const hash = await page.getByLabel("校验值（64 位）").inputValue();
  await page.getByLabel("校验值（64 位）").fill((hash[0] === "0" ? "1" : "0") + hash.slice(1));
  await page.getByRole("button", { name: "核验" }).click();
  await expect(page.getByRole("alert")).toContainText("校验值不符");
  await expectAccessible(page, testInfo);
});

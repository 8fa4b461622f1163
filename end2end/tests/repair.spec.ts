import { expect, Page, test } from "@playwright/test";
import { expectAccessible, expectDemoBanner, jsEnabled } from "./helpers";
import { fillIdentity, openRepairableRecord, PNG, uploadEvidence } from "./flows";

/** Waits until the repair pages' island is live (JS project only). */
async function waitForFormFlow(page: Page, js: boolean) {
  if (js) {
    await expect(page.locator("[data-form-flow]")).toHaveAttribute("data-hydrated", "true");
  }
}

/**
 * Marks the current document: a full page load loses the mark, so finding
 * it later proves the steps in between were swapped in place.
 */
async function markDocument(page: Page) {
  await page.evaluate(() => ((window as any).__sameDocument = true));
}

async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as any).__sameDocument === true);
}

/** Records every value the upload progress bar of the page shows. */
async function recordUploadProgress(page: Page) {
  await page.evaluate(() => {
    const seen: string[] = ((window as any).__progress = []);
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target as Element;
        if (el.tagName === "PROGRESS") seen.push(el.getAttribute("value") ?? "");
      }
    }).observe(document.body, { attributes: true, subtree: true, attributeFilter: ["value"] });
  });
}

test("apply for repair from a record page and follow it on the status page", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const js = jsEnabled(testInfo);
  // Everything the pages load and run is allowed by their CSP.
  const blocked: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && m.text().includes("Content Security Policy")) blocked.push(m.text());
  });
  const code = await openRepairableRecord(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("在线申请信用修复");
  await expectDemoBanner(page);
  await waitForFormFlow(page, js);
  await markDocument(page);
  await expectAccessible(page, testInfo);
  await page.getByRole("button", { name: "开始申请" }).click();

  // Applicant: an empty form gets an error summary linking to each field.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("申请人信息");
  await page.getByRole("button", { name: "继续" }).click();
  const summary = page.getByRole("alert");
  await expect(summary).toContainText("请选择由谁办理");
  // The personal-information notice comes before the first field, and
  // must be acknowledged; the SMS consent beside it is optional.
  await expect(summary.getByRole("link", { name: /请阅读个人信息处理告知/ })).toBeVisible();
  await expect(page.getByRole("heading", { name: "个人信息处理告知（信用修复申请）" })).toBeVisible();
  await expect(page.getByText("保存期限")).toBeVisible();
  await expect(summary.getByRole("link", { name: /联系电话/ })).toBeVisible();
  await expectAccessible(page, testInfo);
  await page.getByLabel("信用主体本人（单位）").check();
  await page.getByLabel("申请人姓名").fill("李明");
  if (js) {
    // Checked in the browser as it is typed, by the shared domain code.
    await page.getByLabel("联系电话（手机）").fill("1380000");
    await page.getByLabel("申请人姓名").focus();
    await expect(page.locator("#contact_phone-live")).toContainText("联系电话");
  }
  await page.getByLabel("联系电话（手机）").fill("13800001234");
  await page.getByLabel(/我已阅读并知悉《个人信息处理告知/).check();
  await page.getByLabel(/同意通过短信接收本申请的办理进度通知/).check();
  await page.getByRole("button", { name: "继续" }).click();

  // Identity, checked against the record.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("核对主体身份");
  await fillIdentity(page);
  await expect(page.getByLabel("信用主体的统一社会信用代码")).toHaveValue(code);
  if (js) {
    await expect(page.locator("#identity-live")).toContainText("格式和校验位正确");
  }
  await page.getByRole("button", { name: "继续" }).click();

  // The pledge in full, ticked and signed.
  await expect(page.getByRole("heading", { name: "信用修复承诺书" })).toBeVisible();
  await expectAccessible(page, testInfo);
  await page.getByLabel("我已阅读并同意以上承诺内容").check();
  await page.getByLabel("签署人姓名").fill("李明");
  await page.getByRole("button", { name: "签署并继续" }).click();

  // Evidence: a mislabelled file is refused, real ones are listed.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("上传证明材料");
  await page.getByLabel("材料类别").selectOption("fulfilment");
  await page.getByLabel("选择文件").setInputFiles({ name: "罚款缴纳凭证.pdf", mimeType: "application/pdf", buffer: PNG });
  await page.getByRole("button", { name: "上传" }).click();
  await expect(page.getByRole("alert")).toContainText("与扩展名不符");
  await expectAccessible(page, testInfo);
  if (js) await recordUploadProgress(page);
  await uploadEvidence(page);
  if (js) {
    // The page was swapped, not reloaded, and the bar showed the upload.
    expect(await page.evaluate(() => (window as any).__progress)).toContain("100");
  }
  await expectAccessible(page, testInfo);
  await page.getByRole("button", { name: "继续" }).click();

  // Check your answers, submit, confirmation with number and tracking code.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("确认申请信息");
  await expect(page.locator(".check-answers")).toContainText("整改报告.png");
  await expectAccessible(page, testInfo);
  await page.getByRole("button", { name: "提交申请" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("申请已提交");
  const [number, tracking] = await page.locator(".big-code").allInnerTexts();
  expect(number).toMatch(/^XF\d{13}$/);
  expect(tracking).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  if (js) {
    // Every step since the start page came without a full page load; the
    // address bar followed, and the receipt can be printed.
    expect(await stillSameDocument(page)).toBe(true);
    expect(new URL(page.url()).pathname).toMatch(/^\/repair\/apply\/done/);
    await expect(page.getByRole("button", { name: "打印回执" })).toBeVisible();
    await page.goBack();
    await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("申请已提交");
    expect(await stillSameDocument(page)).toBe(true);
    await page.goForward();
  } else {
    await expect(page.getByRole("button", { name: "打印回执" })).toBeHidden();
  }
  await expectAccessible(page, testInfo);

  // The status page: wrong code first, then the right one.
  await page.goto("/repair/track");
  await page.getByLabel("申请编号").fill(number);
  await page.getByLabel("查询码").fill("2345-6789-ABCD");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByRole("alert")).toContainText("申请编号或查询码不正确");
  await expectAccessible(page, testInfo);
  await page.getByLabel("申请编号").fill(number);
  await page.getByLabel("查询码").fill(tracking.toLowerCase());
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`申请编号 ${number}`);
  await expect(page.getByText("当前状态：已提交")).toBeVisible();
  await expect(page.locator(".timeline")).toContainText("提交申请");
  await expect(page.getByText(/还剩 \d+ 个工作日/)).toBeVisible();
  await expectAccessible(page, testInfo);

  // Withdraw, which also frees the record for the other project's run.
  await page.getByLabel("我确认撤回本申请").check();
  await page.getByRole("button", { name: "撤回申请" }).click();
  await expect(page.getByText("当前状态：已撤回")).toBeVisible();
  expect(blocked).toEqual([]);
});

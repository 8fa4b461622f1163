import { expect, Page, test } from "@playwright/test";
import { chooseOwnPassword, expectAccessible, signIn } from "./helpers";
import { definitionOf, demoIdentity, JPEG, PDF } from "./flows";
import { ADMIN_PASSWORD } from "../playwright.config";

const INITIAL_PASSWORD = "Verifier-Console-2026";
const OWN_PASSWORD = "Own-Verifier-Console-9";
const AUTHORITY = "鹤岗市市场监督管理局";

async function signOut(page: Page) {
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作人员登录");
}

/** A public penalty of the market regulator (an organisation's), by its page. */
async function penaltyPage(page: Page): Promise<string> {
  await page.goto("/search?q=%E5%85%AC%E5%8F%B8&type=penalty");
  const dept = await page.locator("select[name=dept] option", { hasText: AUTHORITY }).first().getAttribute("value");
  await page.goto(`/search?q=%E5%85%AC%E5%8F%B8&type=penalty&dept=${dept}`);
  return (await page.locator("a[href^='/penalties/']").nth(6).getAttribute("href"))!;
}

test("an objection: the subject files it from the record, the department accepts and answers, the subject reads the answer", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const h1 = page.getByRole("heading", { level: 1 });
  const verifier = `verifier-${testInfo.project.name}`;
  const record = await penaltyPage(page);
  const id = record.split("/").pop()!;

  // From the record's page to the form; faults named first.
  await page.goto(record);
  await page.getByRole("link", { name: "认为该信息有误？提出异议申诉" }).click();
  await expect(h1).toHaveText("提出异议申诉");
  await expectAccessible(page, testInfo);
  await page.getByRole("button", { name: "提交异议" }).click();
  await expect(page.getByRole("alert")).toContainText("请至少选择一项异议理由");
  await expect(page.getByRole("alert")).toContainText("请填写异议说明");
  await expect(page.getByRole("alert")).toContainText("请阅读个人信息处理告知");
  await expect(page.getByRole("heading", { name: "个人信息处理告知（异议申诉）" })).toBeVisible();
  await expectAccessible(page, testInfo);

  const { code, representativeId } = demoIdentity(new URL(`/repair/apply/${id}`, page.url()).toString());
  await page.getByLabel(/我已阅读并知悉《个人信息处理告知/).check();
  await page.getByLabel(/同意通过短信接收本异议的办理进度通知/).check();
  await page.getByLabel("提出人姓名").fill("王红");
  await page.getByLabel("联系电话").fill("13800001234");
  await page.getByLabel("信用主体的统一社会信用代码").fill(code);
  await page.getByLabel("法定代表人（经营者）身份证号码").fill(representativeId);
  await page.getByLabel("信息错误", { exact: true }).check();
  await page.getByLabel("异议说明").fill("罚款金额应为 1 万元，决定书记载有误。");
  await page.getByLabel("异议证明材料（必传，可多选）").setInputFiles({ name: "原决定书.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByLabel("主体身份证明（必传）").setInputFiles({ name: "营业执照.jpg", mimeType: "image/jpeg", buffer: JPEG });
  await page.getByLabel("我已阅读并同意以上承诺内容").check();
  await page.getByLabel("签署人姓名").fill("王红");
  await page.getByRole("button", { name: "提交异议" }).click();
  await expect(h1).toHaveText("异议已提交");
  const [number, tracking] = (await page.locator("dd.issued-key").allInnerTexts()).map((s) => s.trim());
  expect(number).toMatch(/^YY\d{13}$/);
  await expectAccessible(page, testInfo);

  // The department: a reviewer of the determining authority.
  await signIn(page, "admin", ADMIN_PASSWORD);
  await page.getByLabel("用户名", { exact: true }).fill(verifier);
  await page.getByLabel("姓名", { exact: true }).fill("钱核实（演示）");
  await page.getByLabel("审核员", { exact: true }).check();
  await page.getByLabel("所属认定单位（审核员必选）").selectOption({ label: AUTHORITY });
  await page.getByLabel("初始密码").fill(INITIAL_PASSWORD);
  await page.getByRole("button", { name: "创建账号" }).click();
  await expect(page.getByRole("status")).toContainText(`账号 ${verifier} 已创建`);
  await signOut(page);
  await signIn(page, verifier, INITIAL_PASSWORD);
  await chooseOwnPassword(page, INITIAL_PASSWORD, OWN_PASSWORD);
  await page.getByRole("link", { name: "异议处理" }).click();
  await expect(h1).toHaveText("异议处理");
  await expectAccessible(page, testInfo);
  await page.getByRole("link", { name: number }).click();
  await expect(h1).toHaveText(`异议 ${number}`);
  await expect(page.getByRole("link", { name: /原决定书\.pdf/ })).toBeVisible();
  await expectAccessible(page, testInfo);
  await page.getByLabel("受理", { exact: true }).check();
  await page.getByRole("button", { name: "提交" }).click();
  await expect(page.getByLabel("维持原信息", { exact: true })).toBeVisible();

  // Accepted: the public page says so.
  await page.goto(record);
  await expect(page.getByText("异议处理中")).toBeVisible();

  // Every decision carries its reasons.
  await page.goto(`/admin/objections/${number}`);
  await page.getByLabel("维持原信息", { exact: true }).check();
  await page.getByRole("button", { name: "提交" }).click();
  await expect(page.getByRole("alert")).toContainText("请填写核查结论的理由");
  await expect(page.getByLabel("维持原信息", { exact: true })).toBeChecked();
  await expectAccessible(page, testInfo);
  await page.getByLabel("理由、补正要求或答复意见").fill("经调取原始案卷核实，罚款金额记载无误。");
  await page.getByRole("button", { name: "提交" }).click();
  await expect(page.getByRole("heading", { name: "异议处理答复" })).toBeVisible();
  await signOut(page);

  // The objector reads the answer, with its remedies.
  await page.goto(record);
  await expect(page.getByText("异议处理中")).toHaveCount(0);
  await page.goto("/objections/track");
  await page.getByLabel("异议编号").fill(number);
  await page.getByLabel("查询码").fill("ABCD-EFGH-JKMN");
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByRole("alert")).toContainText("异议编号或查询码不正确");
  await expectAccessible(page, testInfo);
  await page.getByLabel("查询码").fill(tracking.toLowerCase());
  await page.getByRole("button", { name: "查询" }).click();
  await expect(h1).toHaveText(`异议 ${number}`);
  await expect(definitionOf(page, "办理状态")).toHaveText("维持原信息");
  await expect(definitionOf(page, "理由")).toHaveText("经调取原始案卷核实，罚款金额记载无误。");
  await expect(definitionOf(page, "救济途径")).toContainText("行政复议");
  await expectAccessible(page, testInfo);

  // The SMS consent given with the objection is withdrawn with one button.
  await expect(page.getByText(/同意接收办理进度短信/)).toBeVisible();
  await page.getByRole("button", { name: "撤回短信通知同意" }).click();
  await expect(page.getByRole("status")).toContainText("已撤回短信通知同意");
  await expect(page.getByText(/撤回同意，不再发送/)).toBeVisible();
  await expect(page.getByRole("button", { name: "撤回短信通知同意" })).toHaveCount(0);
  await expectAccessible(page, testInfo);
});

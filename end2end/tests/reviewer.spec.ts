import { expect, Page, test } from "@playwright/test";
import { chooseOwnPassword, expectAccessible, signIn } from "./helpers";
import { openStatus, PDF, submitApplication } from "./flows";
import { ADMIN_PASSWORD } from "../playwright.config";

const INITIAL_PASSWORD = "Reviewer-Console-2026";
const REVIEWER_PASSWORD = "Own-Choice-Console-9";

async function signOut(page: Page) {
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作人员登录");
}

async function decide(page: Page, action: string) {
  await page.getByLabel(action, { exact: true }).check();
  await page.getByRole("button", { name: "提交办理结果" }).click();
}

test("a reviewer takes an application from the queue to approval, and the record leaves public view", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const h1 = page.getByRole("heading", { level: 1 });
  const reviewer = `reviewer-${testInfo.project.name}`;
  const s = await submitApplication(page);

  // The administrator (created with the server command) opens an account
  // for the department that made the decision.
  await signIn(page, "admin", ADMIN_PASSWORD);
  await expect(h1).toHaveText("账号管理");
  await expectAccessible(page, testInfo);
  await page.getByLabel("用户名", { exact: true }).fill(reviewer);
  await page.getByLabel("姓名", { exact: true }).fill("王审核（演示）");
  await page.getByLabel("审核员", { exact: true }).check();
  await page.getByLabel("所属认定单位（审核员必选）").selectOption({ label: s.authority });
  await page.getByLabel("初始密码").fill(INITIAL_PASSWORD);
  await page.getByRole("button", { name: "创建账号" }).click();
  await expect(page.getByRole("status")).toContainText(`账号 ${reviewer} 已创建`);
  await signOut(page);

  // A wrong password gets one clear message; then the reviewer signs in.
  await signIn(page, reviewer, "Not-The-Password-1");
  await expect(page.getByRole("alert")).toContainText("用户名或密码不正确");
  await expectAccessible(page, testInfo);
  // The administrator set the password: the reviewer chooses their own first.
  await signIn(page, reviewer, INITIAL_PASSWORD);
  await chooseOwnPassword(page, INITIAL_PASSWORD, REVIEWER_PASSWORD, testInfo);
  await page.getByRole("link", { name: "修复申请待办" }).click();
  await expect(h1).toHaveText("信用修复申请待办");
  await expectAccessible(page, testInfo);

  await page.getByRole("link", { name: s.number }).click();
  await expect(h1).toHaveText(`修复申请 ${s.number}`);
  await expect(page.getByText("13800001234")).toBeVisible();
  await expect(page.getByRole("link", { name: "罚款缴纳凭证.pdf" })).toBeVisible();
  // A request to supplement needs its reasons.
  await decide(page, "要求补正");
  await expect(page.getByRole("alert")).toContainText("要求补正须写明需补正的材料");
  await expectAccessible(page, testInfo);
  await page.getByLabel("要求补正", { exact: true }).check();
  await page.getByLabel("理由或需补正的材料").fill("请补充罚款缴纳的银行回单");
  await page.getByRole("button", { name: "提交办理结果" }).click();
  await expect(page.getByText("当前状态：待补正")).toBeVisible();
  await expectAccessible(page, testInfo);
  await signOut(page);

  // The applicant sees the request and answers it.
  await openStatus(page, s);
  await expect(page.getByText("请补充罚款缴纳的银行回单").first()).toBeVisible();
  await page.getByLabel("补正说明").fill("已补充银行回单。");
  await page
    .getByLabel(/补正文件/)
    .setInputFiles({ name: "银行回单.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: "提交补正材料" }).click();
  await expect(page.getByText("当前状态：已提交")).toBeVisible();

  // The reviewer accepts, then approves.
  await signIn(page, reviewer, REVIEWER_PASSWORD);
  await page.getByRole("link", { name: s.number }).click();
  await expect(page.getByRole("link", { name: "银行回单.pdf" })).toBeVisible();
  await decide(page, "受理");
  await expect(page.getByText("当前状态：已受理")).toBeVisible();
  await decide(page, "同意修复");
  await expect(page.getByText("当前状态：已修复")).toBeVisible();
  await expectAccessible(page, testInfo);
  await signOut(page);

  // The record has left every public page at once.
  const response = await page.goto(s.recordUrl);
  expect(response?.status()).toBe(404);
  await page.goto(`/search?q=${encodeURIComponent(s.docNo)}`);
  await expect(page.locator(".hit")).toHaveCount(0);
  await openStatus(page, s);
  await expect(page.getByText("当前状态：已修复")).toBeVisible();
});

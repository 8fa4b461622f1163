import { expect, Page, test } from "@playwright/test";
import { chooseOwnPassword, expectAccessible, signIn } from "./helpers";
import { ADMIN_PASSWORD } from "../playwright.config";

const INITIAL_PASSWORD = "Lister-Console-2026";
const OWN_PASSWORD = "Own-Lister-Console-9";
const AUTHORITY = "鹤岗市市场监督管理局";

async function signOut(page: Page) {
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("工作人员登录");
}

/** A public penalty of the market regulator, by its record number. */
async function penaltyOfAuthority(page: Page): Promise<string> {
  await page.goto("/search?q=%E5%85%AC%E5%8F%B8&type=penalty");
  const dept = await page.locator("select[name=dept] option", { hasText: AUTHORITY }).first().getAttribute("value");
  await page.goto(`/search?q=%E5%85%AC%E5%8F%B8&type=penalty&dept=${dept}`);
  const href = await page.locator("a[href^='/penalties/']").nth(3).getAttribute("href");
  return href!.split("/").pop()!;
}

test("a listing: the department serves a notice, the party answers online, the department replies and decides", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const h1 = page.getByRole("heading", { level: 1 });
  const lister = `lister-${testInfo.project.name}`;
  const penalty = await penaltyOfAuthority(page);

  await signIn(page, "admin", ADMIN_PASSWORD);
  await page.getByLabel("用户名", { exact: true }).fill(lister);
  await page.getByLabel("姓名", { exact: true }).fill("赵认定（演示）");
  await page.getByLabel("审核员", { exact: true }).check();
  await page.getByLabel("所属认定单位（审核员必选）").selectOption({ label: AUTHORITY });
  await page.getByLabel("初始密码").fill(INITIAL_PASSWORD);
  await page.getByRole("button", { name: "创建账号" }).click();
  await expect(page.getByRole("status")).toContainText(`账号 ${lister} 已创建`);
  await signOut(page);
  await signIn(page, lister, INITIAL_PASSWORD);
  await chooseOwnPassword(page, INITIAL_PASSWORD, OWN_PASSWORD);

  // The proposal, grounded on the department's penalty; faults named first.
  await page.getByRole("link", { name: "名单认定" }).click();
  await expect(h1).toHaveText("严重失信主体名单认定");
  await expectAccessible(page, testInfo);
  await page.getByLabel("作为依据的行政处罚记录编号").fill(penalty);
  await page.getByRole("button", { name: "拟列入" }).click();
  await expect(h1).toHaveText("拟列入严重失信主体名单");
  await page.getByRole("button", { name: "生成并送达告知书" }).click();
  await expect(page.getByRole("alert")).toContainText("请选择名单领域");
  await expectAccessible(page, testInfo);
  await page.getByLabel("名单领域").selectOption({ label: "市场监督管理严重违法失信名单" });
  await page.getByLabel("依据", { exact: true }).fill("《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）第十条");
  // The measures come from the measures list, with their bases.
  await expect(page.locator("section[aria-labelledby=measures-heading]")).toContainText(
    "食品生产经营许可和从业禁止（依据《中华人民共和国食品安全法》第一百三十五条第一款）",
  );
  await page.getByRole("button", { name: "生成并送达告知书" }).click();
  await expect(page.getByRole("status")).toContainText("告知书已生成");
  const code = (await page.locator(".issued-key").textContent())!.trim();
  const number = (await h1.textContent())!.replace("告知书", "").trim();
  expect(number).toMatch(/^GZ\d{13}$/);
  await expectAccessible(page, testInfo);
  await signOut(page);

  // The party: a wrong code, then the notice and its statement.
  await page.goto(`/notices/${number}`);
  await page.getByLabel("查询码").fill("ABCD-EFGH-JKMN");
  await page.getByRole("button", { name: "查看告知书" }).click();
  await expect(page.getByRole("alert")).toContainText("告知书编号或查询码不正确");
  await expectAccessible(page, testInfo);
  await page.getByLabel("查询码").fill(code.toLowerCase());
  await page.getByRole("button", { name: "查看告知书" }).click();
  await expect(h1).toHaveText(`告知书 ${number}`);
  await expect(page.locator("dt", { hasText: "当事人权利" })).toBeVisible();
  await expectAccessible(page, testInfo);
  await page.getByLabel("陈述、申辩意见").fill("已全部履行处罚决定，违法行为已整改。");
  // The notice must be acknowledged first; the statement is kept meanwhile.
  await page.getByRole("button", { name: "提交陈述、申辩" }).click();
  await expect(page.getByRole("alert")).toContainText("请阅读个人信息处理告知");
  await expect(page.getByLabel("陈述、申辩意见")).toHaveValue("已全部履行处罚决定，违法行为已整改。");
  await expectAccessible(page, testInfo);
  await page.getByLabel(/我已阅读并知悉《个人信息处理告知/).check();
  await page.getByRole("button", { name: "提交陈述、申辩" }).click();
  await expect(page.getByRole("status")).toContainText("已收到您的陈述、申辩");

  // The department answers every point, then decides.
  await signIn(page, lister, OWN_PASSWORD);
  await page.goto(`/admin/listings/${number}`);
  await expect(page.getByText("已全部履行处罚决定").first()).toBeVisible();
  await page.getByLabel("逐项答复", { exact: true }).check();
  await page.getByRole("button", { name: "提交" }).click();
  await expect(page.getByRole("alert")).toContainText("请填写");
  await expectAccessible(page, testInfo);
  await page.getByLabel("逐项答复", { exact: true }).check();
  await page.getByLabel("答复意见或理由").fill("经核查，履行情况属实，但违法行为性质恶劣，不影响列入。");
  await page.getByRole("button", { name: "提交" }).click();
  await page.getByLabel("作出列入决定", { exact: true }).check();
  await page.getByRole("button", { name: "提交" }).click();
  await expect(page.getByRole("heading", { name: "认定决定书" })).toBeVisible();
  await expectAccessible(page, testInfo);
  await page.getByRole("link", { name: "查看公示页面" }).click();
  await expect(h1).toContainText("市场监督管理严重违法失信名单");
  await expectAccessible(page, testInfo);
});

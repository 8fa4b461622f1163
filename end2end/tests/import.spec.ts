import { expect, test } from "@playwright/test";
import { chooseOwnPassword, expectAccessible, signIn } from "./helpers";
import { ADMIN_PASSWORD } from "../playwright.config";

const CLERK_PASSWORD = "Clerk-Console-2026";

test("a department uploads a penalty sheet and a licence sheet, reads the dry runs, commits, and the records are public", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const h1 = page.getByRole("heading", { level: 1 });
  const clerk = `clerk-${testInfo.project.name}`;
  const company = `鹤岗市导入演示${testInfo.project.name}商贸有限公司（演示）`;

  await signIn(page, "admin", ADMIN_PASSWORD);
  await page.getByLabel("用户名", { exact: true }).fill(clerk);
  await page.getByLabel("姓名", { exact: true }).fill("赵报送（演示）");
  await page.getByLabel("审核员", { exact: true }).check();
  await page.getByLabel("所属认定单位（审核员必选）").selectOption({ label: "鹤岗市市场监督管理局" });
  await page.getByLabel("初始密码").fill(CLERK_PASSWORD);
  await page.getByRole("button", { name: "创建账号" }).click();
  await expect(page.getByRole("status")).toContainText(`账号 ${clerk} 已创建`);
  await page.getByRole("button", { name: "退出登录" }).click();

  await signIn(page, clerk, CLERK_PASSWORD);
  await chooseOwnPassword(page, CLERK_PASSWORD, "Own-Choice-Import-9");
  await page.getByRole("link", { name: "导入双公示信息" }).click();
  await expect(h1).toHaveText("导入双公示信息");
  await expectAccessible(page, testInfo);
  const authority = (await page.locator(".authority-code").innerText()).trim();
  const suffix = testInfo.project.name === "js" ? 1 : 2;
  // Subjects are identified by credit code: one per project.
  const code = testInfo.project.name === "js" ? "91350100M000100Y43" : "914403001922038216";
  const sheet = [
    "行政相对人名称,行政相对人类别,统一社会信用代码,决定书文号,违法行为类型,违法事实,处罚依据,处罚类别,处罚内容,罚款金额（万元）,处罚决定日期,处罚机关,处罚机关统一社会信用代码,目录项编码",
    `${company},法人及非法人组织,${code},鹤市监罚〔2026〕95${suffix}号,销售不合格产品,经查当事人销售不合格产品,《产品质量法》第四十九条,罚款,罚款一万元,1,2026-11-02,鹤岗市市场监督管理局,${authority},scjg-ordinary`,
    `错误日期公司（演示）,法人及非法人组织,91350100M000100Y43,鹤市监罚〔2026〕96${suffix}号,销售不合格产品,经查,《产品质量法》,罚款,罚款,1,2027-01-01,鹤岗市市场监督管理局,${authority},scjg-ordinary`,
  ].join("\n");

  // An empty upload first: a clear message, nothing else happens.
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(page.getByRole("alert")).toContainText("请选择要导入的表格文件");
  await expectAccessible(page, testInfo);

  await page
    .getByLabel(/表格文件/)
    .setInputFiles({ name: "处罚信息.csv", mimeType: "text/csv", buffer: Buffer.from(sheet) });
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(h1).toHaveText("检查结果");
  await expect(page.getByRole("status")).toContainText("可新增 1 条");
  await expect(page.getByRole("status")).toContainText("拒收 1 条");
  await expect(page.locator("table")).toContainText("晚于今天");
  await expectAccessible(page, testInfo);

  // Not public yet: the dry run wrote nothing.
  const search = `/search?q=${encodeURIComponent(company)}`;
  const check = await page.context().newPage();
  await check.goto(search);
  await expect(check.locator(".hit")).toHaveCount(0);

  await page.getByRole("button", { name: "确认入库" }).click();
  await expect(h1).toHaveText("导入完成");
  await expect(page.getByRole("status")).toContainText("已入库：新增 1 条");
  await expectAccessible(page, testInfo);

  await check.goto(search);
  await expect(check.locator(".hit")).toHaveCount(1);
  await expect(check.locator(".hit")).toContainText(company);

  // A licence sheet, with the national codes as headers: told apart by them.
  const holder = `鹤岗市许可演示${testInfo.project.name}食品有限公司（演示）`;
  // Another subject than the penalty's (subjects are one per credit code).
  const holderCode = testInfo.project.name === "js" ? "91230400MA1B2C3D4Q" : "91230400MA1X2Y3T5R";
  const licences = [
    "XK_XDR_MC,XK_XDR_LB,XK_XDR_SHXYM,XK_XKWS,XK_WSH,XK_XKLB,XK_XKZS,XK_XKBH,XK_NR,XK_JDRQ,XK_YXQZ,XK_YXQZI,XK_XKJG,XK_XKJGDM,ML_BM",
    `${holder},法人及非法人组织,${holderCode},准予行政许可决定书,鹤市监许〔2026〕95${suffix}号,普通,食品经营许可证,JY1230400000095${suffix},预包装食品销售,2026-11-20,2026-11-20,2031-11-19,鹤岗市市场监督管理局,${authority},scjg-license`,
    `类别错误公司（演示）,法人及非法人组织,91350100M000100Y43,准予行政许可决定书,鹤市监许〔2026〕96${suffix}号,临时,食品经营许可证,JY1,食品销售,2026-11-20,2026-11-20,,鹤岗市市场监督管理局,${authority},scjg-license`,
  ].join("\n");
  await page.getByRole("link", { name: "上传其他文件" }).click();
  await expect(h1).toHaveText("导入双公示信息");
  await page
    .getByLabel(/表格文件/)
    .setInputFiles({ name: "许可信息.csv", mimeType: "text/csv", buffer: Buffer.from(licences) });
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(h1).toHaveText("检查结果");
  await expect(page.getByRole("status")).toContainText("行政许可表格");
  await expect(page.getByRole("status")).toContainText("可新增 1 条");
  await expect(page.locator("table")).toContainText("不是有效的许可类别");
  await page.getByRole("button", { name: "确认入库" }).click();
  await expect(page.getByRole("status")).toContainText("已入库：新增 1 条");

  await check.goto(`/search?type=license&q=${encodeURIComponent(holder)}`);
  await expect(check.locator(".hit")).toHaveCount(1);
  await check.locator(".hit-title a").first().click();
  await expect(check.getByRole("heading", { level: 1 })).toContainText(`鹤市监许〔2026〕95${suffix}号`);
  await expect(check.locator("main")).toContainText(holder);
  await expect(check.locator("main")).toContainText("食品经营许可证");
  await check.close();
});

import { expect, test } from "@playwright/test";
import { expectAccessible, signInAsAdmin } from "./helpers";

test("the credit authority's pages: catalog, a refused rule version, API keys, quality, calendar", async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const h1 = page.getByRole("heading", { level: 1 });
  await signInAsAdmin(page);

  // Accounts: a new one is disabled, then its password reset (shown once).
  const temp = `temp-${testInfo.project.name}`;
  await page.getByLabel("用户名", { exact: true }).fill(temp);
  await page.getByLabel("姓名", { exact: true }).fill("临时账号（演示）");
  await page.getByLabel("审计员", { exact: true }).check();
  await page.getByLabel("初始密码").fill("Initial-Console-2026");
  await page.getByRole("button", { name: "创建账号" }).click();
  await expect(page.getByRole("status")).toContainText(`账号 ${temp} 已创建`);
  await page.getByRole("button", { name: `停用账号 ${temp}` }).click();
  await expect(page.getByRole("status")).toContainText(`账号 ${temp} 已停用`);
  await page.getByRole("button", { name: `重置密码：账号 ${temp}` }).click();
  await expect(page.locator(".temporary-password")).toHaveText(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
  await expectAccessible(page, testInfo);

  await page.getByRole("link", { name: "信用信息目录" }).click();
  await expect(h1).toHaveText("公共信用信息目录");
  await expectAccessible(page, testInfo);
  await page.getByRole("link", { name: "scjg-ordinary", exact: true }).click();
  await expect(h1).toHaveText("目录项 scjg-ordinary");
  // A version outside the tier's periods is refused with the reason.
  await page.getByLabel("一般", { exact: true }).check();
  await page.getByLabel("最短公示期（月）").fill("1");
  await page.getByLabel("最长公示期（月）").fill("12");
  await page.getByLabel("生效日期").fill("2027-01-01");
  await page.getByRole("button", { name: "新增版本" }).click();
  await expect(page.getByRole("alert")).toContainText("公示期应在 3 至 12 个月之间");
  await expectAccessible(page, testInfo);
  // The item's attributes: a reporting limit out of range is refused, then saved.
  const days = page.getByLabel("报送时限（决定后工作日）");
  await expect(days).toHaveValue("7");
  await days.fill("0");
  await page.getByRole("button", { name: "保存属性" }).click();
  await expect(page.getByRole("alert")).toContainText("报送时限须为 1 至 60 个工作日");
  await expectAccessible(page, testInfo);
  await page.getByLabel("报送时限（决定后工作日）").fill("7");
  await page.getByLabel("数据来源").fill("鹤岗市市场监督管理局执法办案系统");
  await page.getByRole("button", { name: "保存属性" }).click();
  await expect(page.getByRole("status")).toContainText("已保存属性");
  await expect(page.locator("dl.fields")).toContainText("鹤岗市市场监督管理局执法办案系统");

  await page.getByRole("link", { name: "接口密钥" }).click();
  await expect(h1).toHaveText("接口密钥");
  await page.getByLabel(/^报送：/).check();
  await page.getByLabel("使用单位（报送密钥、联合奖惩核查密钥）").selectOption({ label: "鹤岗市生态环境局" });
  await page.getByLabel("系统名称").fill(`环境执法系统（${testInfo.project.name}）`);
  await page.getByRole("button", { name: "签发" }).click();
  await expect(page.locator(".issued-key")).toHaveText(/^hgk_[0-9a-f]{64}$/);
  await expectAccessible(page, testInfo);

  await page.getByRole("link", { name: "报送质量" }).click();
  await expect(h1).toHaveText("报送质量");
  await expectAccessible(page, testInfo);

  await page.getByRole("link", { name: "节假日安排" }).click();
  await expect(h1).toHaveText("节假日安排");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByRole("alert")).toContainText("请填写日期");
  await expectAccessible(page, testInfo);
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(h1).toHaveText("工作人员登录");
});

test("the serious list's domains: one without its legal basis is refused, one with it is added", async ({
  page,
}, testInfo) => {
  const h1 = page.getByRole("heading", { level: 1 });
  await signInAsAdmin(page);
  await page.getByRole("link", { name: "名单领域" }).click();
  await expect(h1).toHaveText("严重失信主体名单领域");
  await expect(page.getByRole("table")).toContainText("市场监督管理严重违法失信名单");
  await expectAccessible(page, testInfo);

  const code = `stats_${testInfo.project.name}`;
  const exact = { exact: true };
  await page.getByLabel("领域编码", exact).fill(code);
  await page.getByLabel("名单名称", exact).fill(`统计严重失信企业名单（${testInfo.project.name}）`);
  await page.getByLabel("设列依据", exact).fill("根据有关规定");
  await page.getByLabel("认定标准依据", exact).fill("《统计严重失信企业信用管理办法》（国统字〔2022〕33号）");
  await page.getByLabel("认定单位", exact).fill("统计机构");
  await page.getByLabel("列入期限（年）", exact).fill("3");
  await page.getByLabel("列入满几年可申请提前移出", exact).fill("1");
  await page.getByLabel("移出条件", exact).fill("公示期满或者纠正失信行为、消除不良影响");
  await page.getByLabel("移出程序", exact).fill("向作出认定的统计机构提出申请");
  await page.getByRole("button", { name: "新增名单领域" }).click();
  // Refused with the reason, what was typed kept.
  await expect(page.getByRole("alert")).toContainText("法律依据须写明法律、法规或中央政策文件");
  await expect(page.getByLabel("移出程序", exact)).toHaveValue("向作出认定的统计机构提出申请");
  await expectAccessible(page, testInfo);

  await page
    .getByLabel("设列依据", exact)
    .fill("《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）");
  await page.getByRole("button", { name: "新增名单领域" }).click();
  await expect(page.getByRole("status")).toContainText("已新增名单领域");
  await expect(h1).toContainText("统计严重失信企业名单");
  await expectAccessible(page, testInfo);
});

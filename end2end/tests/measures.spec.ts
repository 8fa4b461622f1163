import { expect, test } from "@playwright/test";
import { expectAccessible, signInAsAdmin } from "./helpers";

test("the public measures list: every measure with its basis, filtered by list and department", async ({
  page,
}, testInfo) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "惩戒措施清单" }).click();
  const h1 = page.getByRole("heading", { level: 1 });
  await expect(h1).toHaveText("失信惩戒措施清单");
  await expect(page.getByRole("heading", { name: "禁止参加政府采购活动" })).toBeVisible();
  await expect(page.getByText("《中华人民共和国政府采购法》第七十七条第一款")).toBeVisible();
  await expectAccessible(page, testInfo);

  await page.getByLabel("适用名单").selectOption({ label: "重大税收违法失信主体名单" });
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/domain=tax_major_violation/);
  await expect(page.getByRole("heading", { name: "阻止出境" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "食品生产经营许可和从业禁止" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "本页数据（JSON 开放接口）" })).toHaveAttribute(
    "href",
    "/api/v1/public/measures?domain=tax_major_violation",
  );
  await page.getByLabel("实施单位").selectOption({ label: "鹤岗市财政局" });
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByRole("status")).toHaveText("共 1 项措施");
  await expect(page.getByRole("heading", { name: "禁止参加政府采购活动" })).toBeVisible();
  await expectAccessible(page, testInfo);
});

test("the credit authority keeps the measures list: a basis is required, a change is a new version", async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  const h1 = page.getByRole("heading", { level: 1 });
  await signInAsAdmin(page);
  await page.getByRole("navigation", { name: "工作台" }).getByRole("link", { name: "惩戒措施清单" }).click();
  await expect(h1).toHaveText("失信惩戒措施清单");
  await expectAccessible(page, testInfo);

  // A measure without its legal basis is refused, the field named.
  await page.getByLabel("措施编码").fill("honour_ban");
  await page.getByLabel("措施名称").fill("限制授予荣誉称号（演示）");
  await page.getByLabel("由公共管理机构根据履职需要实施的相关管理措施").check();
  await page.getByLabel("措施内容").fill("在评选表彰中不予授予荣誉称号");
  await page.getByLabel("条", { exact: true }).fill("第十八条");
  await page.getByLabel("条文内容").fill("……在授予荣誉称号等工作中……依法予以限制或者禁入。");
  await page.getByLabel("市场监督管理严重违法失信名单").check();
  await page.getByLabel("法人及非法人组织").check();
  await page.getByLabel("实施主体").fill("县级以上地方人民政府及其有关部门");
  await page.getByLabel("鹤岗市财政局").check();
  await page.getByRole("button", { name: "新增措施" }).click();
  await expect(page.getByRole("alert")).toContainText("请填写“法律依据（法律法规名称）”");
  await expect(page.getByLabel("措施名称")).toHaveValue("限制授予荣誉称号（演示）");
  await expectAccessible(page, testInfo);

  await page.getByLabel("法律依据：法律法规名称").fill("《企业信息公示暂行条例》");
  await page.getByRole("button", { name: "新增措施" }).click();
  await expect(h1).toHaveText("惩戒措施：限制授予荣誉称号（演示）");
  await expect(page.getByRole("status")).toContainText("已新增措施（第 1 版）");
  await expectAccessible(page, testInfo);

  await page.getByLabel("措施名称").fill("限制授予荣誉称号");
  await page.getByRole("button", { name: "保存为新版本" }).click();
  await expect(page.getByRole("status")).toContainText("已保存为新版本");
  await expect(page.locator("table")).toContainText("第 2 版");
  await expect(page.locator("table")).toContainText("第 1 版");

  // The public list shows the current version.
  await page.goto("/measures?department=");
  await expect(page.getByRole("heading", { name: "限制授予荣誉称号", exact: true })).toBeVisible();

  await page.goto("/admin/joint-check");
  await expect(h1).toHaveText("联合奖惩核查与反馈");
  await expectAccessible(page, testInfo);
});

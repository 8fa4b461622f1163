import { expect, Page, TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { ADMIN_PASSWORD } from "../playwright.config";

/** Signs the first administrator in (created before the portal starts). */
export async function signInAsAdmin(page: Page) {
  await page.goto("/admin/login");
  await page.getByLabel("用户名", { exact: true }).fill("admin");
  await page.getByLabel("密码", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("账号管理");
}

/** True in the project that runs with JavaScript (and so WebAssembly) on. */
export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.name === "js";
}

/** Waits until the search island is live (islands hydrate on idle). */
export async function waitForIsland(page: Page, testInfo: TestInfo) {
  if (jsEnabled(testInfo)) {
    await expect(page.locator("[data-search-flow]")).toHaveAttribute("data-hydrated", "true");
  }
}

/**
 * Runs axe-core with the WCAG 2.2 AA rule sets and expects no violations.
 *
 * axe is a script, so on a page without JavaScript it cannot run in place:
 * there the page's HTML, exactly as the browser shows it (also after a form
 * post), is served at the same address to a second context whose scripts
 * run but whose WASM and JS bundle are blocked.
 */
export async function expectAccessible(page: Page, testInfo?: TestInfo) {
  const js = testInfo ? jsEnabled(testInfo) : await page.evaluate(() => true).catch(() => false);
  let target = page;
  let cleanup = async () => {};
  if (!js) {
    const browser = page.context().browser();
    if (!browser) throw new Error("no browser");
    const html = await page.content();
    const url = page.url();
    const context = await browser.newContext({ javaScriptEnabled: true });
    await context.route("**/pkg/**", (route) =>
      route.request().url().endsWith(".css") ? route.continue() : route.abort(),
    );
    await context.route(
      (u) => u.href === url,
      (route) => route.fulfill({ body: html, contentType: "text/html; charset=utf-8" }),
    );
    target = await context.newPage();
    await target.goto(url);
    cleanup = () => context.close();
  }
  const results = await new AxeBuilder({ page: target })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const wider = await overflowAt320(target);
  await cleanup();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
  expect(summary, "axe-core violations").toEqual([]);
  expect(wider, "page wider than a 320 px screen (WCAG 1.4.10 reflow)").toEqual([]);
}

/**
 * WCAG 1.4.10 (axe does not check it): at 320 CSS pixels the page scrolls
 * only vertically. Tables may scroll inside their own box. Returns the
 * elements that stick out, empty when the page fits; the viewport is put
 * back as it was.
 */
async function overflowAt320(page: Page): Promise<string[]> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: 320, height: before?.height ?? 800 });
  const wider = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    return [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest(".table-wrap"))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} → ${Math.round(e.getBoundingClientRect().right)} px`);
  });
  if (before) await page.setViewportSize(before);
  return wider;
}

/** Every page says that the data is fictional. */
export async function expectDemoBanner(page: Page) {
  await expect(page.getByRole("note")).toContainText("演示数据");
}

/** Signs a staff member in at the console. */
export async function signIn(page: Page, username: string, password: string) {
  await page.goto("/admin/login");
  await page.getByLabel("用户名", { exact: true }).fill(username);
  await page.getByLabel("密码", { exact: true }).fill(password);
  await page.getByRole("button", { name: "登录" }).click();
}

/**
 * A member whose password an administrator set (a new account, a reset)
 * is sent to choose their own before anything else: does that, from the
 * page the sign-in lands on.
 */
export async function chooseOwnPassword(page: Page, given: string, chosen: string, testInfo?: TestInfo) {
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("修改密码");
  await expect(page.getByRole("status")).toContainText("您的密码由管理员设置");
  if (testInfo) await expectAccessible(page, testInfo);
  await page.getByLabel("当前密码").fill(given);
  await page.getByLabel("新密码", { exact: true }).fill(chosen);
  await page.getByLabel("再次输入新密码").fill(chosen);
  await page.getByRole("button", { name: "修改密码" }).click();
  await expect(page.getByRole("status")).toContainText("密码已修改");
}

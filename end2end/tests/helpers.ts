import { expect, Page, TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

/** True in the project that runs with JavaScript (and so WebAssembly) on. */
export function jsEnabled(testInfo: TestInfo): boolean {
  return testInfo.project.name === "js";
}

/** Waits until the search island is live (islands hydrate on idle). */
export async function waitForIsland(page: Page, testInfo: TestInfo) {
  if (jsEnabled(testInfo)) {
    await expect(page.locator('[data-island="search"]')).toHaveAttribute("data-hydrated", "true");
  }
}

/** Runs axe-core with the WCAG 2.2 AA rule sets and expects no violations. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
  expect(summary, "axe-core violations").toEqual([]);
}

/** Every page says that the data is fictional. */
export async function expectDemoBanner(page: Page) {
  await expect(page.getByRole("note")).toContainText("演示数据");
}

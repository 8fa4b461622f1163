import { expect, Locator, Page } from "@playwright/test";
import { execFileSync } from "node:child_process";

// The repair application as an applicant goes through it, for tests that
// need one to exist (the detailed checks of each step are in repair.spec).

export const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
export const PNG = Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010802000000", "hex");
export const JPEG = Buffer.from("ffd8ffe000104a46494600010100000100010000ffd9", "hex");

/**
 * Opens the application start page of a published penalty of an
 * organisation that may be repaired now and has no open application.
 */
export async function openRepairableRecord(page: Page): Promise<string> {
  for (let n = 1; n <= 5; n++) {
    const list = `/search?type=penalty&from=2025-12-01&to=2026-06-30&page=${n}`;
    const code = await repairableOnPage(page, list);
    if (code) return code;
  }
  throw new Error("no repairable record on the first five pages");
}

/**
 * The value a description list gives for `term`, found as a person reads
 * it: the term by its text, then its description.
 */
export function definitionOf(scope: Page | Locator, term: string): Locator {
  return scope
    .getByRole("term")
    .filter({ hasText: new RegExp(`^${term}$`) })
    .locator("xpath=following-sibling::dd[1]");
}

async function repairableOnPage(page: Page, list: string): Promise<string | null> {
  await page.goto(list);
  const hits = page.getByRole("listitem").filter({ has: page.getByRole("term").filter({ hasText: /^统一社会信用代码$/ }) });
  const count = await hits.count();
  for (let i = 0; i < count; i++) {
    const hit = hits.nth(i);
    const code = (await definitionOf(hit, "统一社会信用代码").innerText()).trim();
    const href = await hit.getByRole("link").first().getAttribute("href");
    await page.goto(href!);
    const apply = page.getByRole("link", { name: "在线申请信用修复（免费）" });
    if ((await apply.count()) > 0) {
      await apply.click();
      // The start page does not say whether someone already applied
      // (only the subject may learn that): ask the demo command.
      const free = !demoIdentity(page.url()).open;
      if (free && (await page.getByRole("button", { name: "开始申请" }).count()) > 0) {
        return code;
      }
    }
    await page.goto(list);
  }
  return null;
}

/**
 * The identity answers of a demo organisation's record (the credit code and
 * its representative's unpublished ID number), as the deciding department
 * holds them: asked of the server command, since no page shows them.
 */
export function demoIdentity(pageUrl: string): {
  code: string;
  representativeId: string;
  open: boolean;
} {
  const url = new URL(pageUrl);
  const id = url.pathname.match(/\/repair\/apply\/(\d+)/)![1];
  // Each project has its own portal (playwright.config.ts): the first
  // port is the JavaScript one's.
  const project = url.port === process.env.E2E_PORT ? "js" : "nojs";
  const dataDir = `${process.env.E2E_DATA_DIR}/${project}`;
  // The project's database: its own SQLite file, or its PostgreSQL database.
  const databaseUrl = process.env[`E2E_DATABASE_URL_${project}`];
  const out = execFileSync("../target/release/server", ["demo", "identity", id], {
    env: {
      ...process.env,
      PORTAL_DATA_DIR: dataDir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      RUST_LOG: "error",
    },
  })
    .toString()
    .trim()
    .split("\n");
  const [code, representativeId, open] = out.slice(-3);
  return { code, representativeId, open: open === "open" };
}

/** Fills in the identity step for the record whose application is open. */
export async function fillIdentity(page: Page) {
  const { code, representativeId } = demoIdentity(page.url());
  await page.getByLabel("信用主体的统一社会信用代码").fill(code);
  await page.getByLabel("法定代表人（经营者）身份证号码").fill(representativeId);
}

/** On the evidence page: uploads one file of each kind an organisation needs. */
export async function uploadEvidence(page: Page) {
  for (const [kind, file] of [
    ["fulfilment", { name: "罚款缴纳凭证.pdf", mimeType: "application/pdf", buffer: PDF }],
    ["rectification", { name: "整改报告.png", mimeType: "image/png", buffer: PNG }],
    ["identity", { name: "营业执照.jpg", mimeType: "image/jpeg", buffer: JPEG }],
  ] as const) {
    await page.getByLabel("材料类别").selectOption(kind);
    await page.getByLabel("选择文件").setInputFiles(file);
    await page.getByRole("button", { name: "上传" }).click();
    await expect(page.locator(".file-list li", { hasText: file.name })).toBeVisible();
  }
}

/** What a submitted application is known by. */
export interface Submitted {
  number: string;
  tracking: string;
  docNo: string;
  authority: string;
  recordUrl: string;
}

/** Applies for repair of a repairable record, with every piece of evidence. */
export async function submitApplication(page: Page): Promise<Submitted> {
  const code = await openRepairableRecord(page);
  const startUrl = page.url();
  const recordUrl = startUrl.replace(/\/repair\/apply\/(\d+)$/, "/penalties/$1");
  const authority = (await definitionOf(page, "认定单位").innerText()).trim();
  const docNo = (await definitionOf(page, "申请修复的信息").innerText())
    .replace("行政处罚决定", "")
    .trim();
  await page.getByRole("button", { name: "开始申请" }).click();
  await page.getByLabel("信用主体本人（单位）").check();
  await page.getByLabel("申请人姓名").fill("李明");
  await page.getByLabel("联系电话（手机）").fill("13800001234");
  await page.getByLabel(/我已阅读并知悉《个人信息处理告知/).check();
  await page.getByRole("button", { name: "继续" }).click();
  await fillIdentity(page);
  await page.getByRole("button", { name: "继续" }).click();
  await page.getByLabel("我已阅读并同意以上承诺内容").check();
  await page.getByLabel("签署人姓名").fill("李明");
  await page.getByRole("button", { name: "签署并继续" }).click();
  await uploadEvidence(page);
  await page.getByRole("button", { name: "继续" }).click();
  await page.getByRole("button", { name: "提交申请" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("申请已提交");
  const [number, tracking] = await page.locator(".big-code").allInnerTexts();
  return { number, tracking, docNo, authority, recordUrl };
}

/** Opens the applicant's status page. */
export async function openStatus(page: Page, s: Submitted) {
  await page.goto("/repair/track");
  await page.getByLabel("申请编号").fill(s.number);
  await page.getByLabel("查询码").fill(s.tracking);
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`申请编号 ${s.number}`);
}

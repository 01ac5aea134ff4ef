import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/**
 * axe-core run in the app's window, the way the app is screenshotted: every state a test shows a user
 * is also checked for what a screen-reader, keyboard or low-vision user would hit. The rules are
 * WCAG 2.0 A and AA, 2.1 AA, and axe's best practices.
 */
export const accessibilityRuleTags = ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] as const;

/** One failed rule, with the elements it failed on (as axe names them). */
export interface AccessibilityViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly nodes: readonly { readonly target: string; readonly summary: string }[];
}

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
let axeSource: Promise<string> | undefined;

/**
 * Puts axe into the page. The window's CSP allows only its own scripts (a <script> tag, and so
 * page.addScriptTag, is refused, as it should be), so the source goes in through the DevTools protocol.
 */
async function injectAxe(page: Page): Promise<void> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (loaded) return;
  axeSource ??= readFile(axePath, 'utf8');
  await page.evaluate(await axeSource);
}

/** Runs axe on the whole document and answers what it found wrong (nothing: an empty list). */
export async function accessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  await injectAxe(page);
  return page.evaluate(async (tags) => {
    // axe-core's own types are not loaded into the page's scope: this is the part of its API used here.
    interface AxeResultNode {
      target: unknown[];
      failureSummary?: string;
    }
    interface AxeResult {
      id: string;
      impact?: string | null;
      help: string;
      helpUrl: string;
      nodes: AxeResultNode[];
    }
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeResult[] }> } }).axe;
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      helpUrl: violation.helpUrl,
      nodes: violation.nodes.map((node) => ({ target: node.target.map(String).join(' '), summary: node.failureSummary ?? '' })),
    }));
  }, [...accessibilityRuleTags]);
}

/** The violations as a reviewer reads them: rule, impact, what to do, then each element and why. */
export function describeViolations(violations: readonly AccessibilityViolation[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.map((node) => `    - ${node.target}\n      ${node.summary.replaceAll('\n', '\n      ')}`).join('\n');
      return `  ${violation.id} (${violation.impact ?? 'no impact given'}): ${violation.help}\n    ${violation.helpUrl}\n${nodes}`;
    })
    .join('\n');
}

/** Fails (throws) with the readable list when axe finds anything; `state` names the screen it checked. */
export async function assertAccessible(page: Page, state: string): Promise<void> {
  const violations = await accessibilityViolations(page);
  if (violations.length === 0) return;
  throw new Error(`axe found ${violations.length} accessibility violation(s) in ${state}:\n${describeViolations(violations)}`);
}

/** The element with the keyboard focus, as announced. */
export interface FocusedElement {
  readonly name: string;
  /** The text of its aria-describedby elements: a hint, or why it is unavailable. */
  readonly description: string;
  /** aria-disabled or disabled. */
  readonly unavailable: boolean;
}

/**
 * The element that has the keyboard focus, as a screen reader announces it: its name, the text it is
 * described by (aria-describedby), and whether it says it is unavailable. Null when the focus is on the
 * page itself (the body), where the next Tab starts over from the top.
 */
export async function focusedElementOf(page: Page): Promise<FocusedElement | null> {
  return page.evaluate(() => {
    const focused = document.activeElement;
    if (!(focused instanceof HTMLElement) || focused === document.body) return null;
    // Text as announced: without what is hidden from screen readers (a required field's asterisk).
    const spoken = (element: Element): string => {
      const copy = element.cloneNode(true) as Element;
      copy.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
      return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
    };
    const byIds = (ids: string | null): string[] =>
      (ids ?? '')
        .split(' ')
        .filter(Boolean)
        .map((id) => document.getElementById(id))
        .filter((element): element is HTMLElement => element !== null)
        .map(spoken);
    const labels = 'labels' in focused ? [...((focused as HTMLInputElement).labels ?? [])].map(spoken) : [];
    const name = focused.getAttribute('aria-label') ?? (byIds(focused.getAttribute('aria-labelledby')).join(' ') || labels.join(' ') || spoken(focused));
    return {
      name,
      description: byIds(focused.getAttribute('aria-describedby')).join(' '),
      unavailable: focused.getAttribute('aria-disabled') === 'true' || focused.matches(':disabled'),
    };
  });
}

/** The colours of a focus indicator, opaque, as the user sees them. */
export interface FocusRingColours {
  readonly ring: string;
  /** Just inside the ring: a gap of the surroundings' colour, or the element's border. */
  readonly inside: string;
  /** The background the element sits on. */
  readonly outside: string;
}

/**
 * The keyboard focus indicator of the focused element: the colour of its outermost ring, what lies just
 * inside it (the white gap, or the element's own border) and what lies outside it (the background the
 * element sits on), all as opaque rgb() colours, for a contrast check (WCAG 1.4.11, 2.4.13).
 */
export async function focusRingColoursOf(page: Page): Promise<FocusRingColours | null> {
  return page.evaluate(async () => {
    const focused = document.activeElement;
    if (!(focused instanceof HTMLElement) || focused === document.body) return null;
    // The ring as it ends up, not part-way through its transition.
    await Promise.all(focused.getAnimations().map((animation) => animation.finished));
    const parse = (colour: string): [number, number, number, number] => {
      const parts = (colour.match(/[\d.]+/g) ?? []).map(Number);
      return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1];
    };
    const over = (colour: string, backdrop: string): string => {
      const [r, g, b, a] = parse(colour);
      const [br, bg, bb] = parse(backdrop);
      const mix = (top: number, bottom: number) => Math.round(top * a + bottom * (1 - a));
      return `rgb(${mix(r, br)}, ${mix(g, bg)}, ${mix(b, bb)})`;
    };
    let surroundings = 'rgb(255, 255, 255)';
    for (let element = focused.parentElement; element !== null; element = element.parentElement) {
      const background = getComputedStyle(element).backgroundColor;
      if (parse(background)[3] > 0) {
        surroundings = over(background, 'rgb(255, 255, 255)');
        break;
      }
    }
    const style = getComputedStyle(focused);
    // What the user sees of the element is dimmed by its opacity too (an unavailable button).
    const opacity = Number(style.opacity);
    const seen = (colour: string, backdrop: string): string => {
      const [r, g, b, a] = parse(colour);
      return over(`rgba(${r}, ${g}, ${b}, ${a * opacity})`, backdrop);
    };
    const layers = [...style.boxShadow.matchAll(/(rgba?\([^)]*\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+([\d.]+)px\s+([\d.]+)px/g)].map((match) => ({
      colour: match[1] ?? '',
      spread: Number(match[5]),
    }));
    const outlineShown = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 && parse(style.outlineColor)[3] > 0;
    if (outlineShown) {
      return { ring: seen(style.outlineColor, surroundings), inside: parseFloat(style.outlineOffset) > 0 ? surroundings : seen(style.borderTopColor, surroundings), outside: surroundings };
    }
    const rings = layers.filter((layer) => layer.spread > 0).sort((a, b) => b.spread - a.spread);
    const outer = rings[0];
    if (outer === undefined) return null;
    const inner = rings[1];
    return { ring: seen(outer.colour, surroundings), inside: inner === undefined ? seen(style.borderTopColor, surroundings) : seen(inner.colour, surroundings), outside: surroundings };
  });
}

/** The WCAG contrast ratio of two opaque `rgb(r, g, b)` colours, from 1 (same) to 21 (black on white). */
export function contrastRatio(first: string, second: string): number {
  const luminance = (colour: string): number => {
    const [r = 0, g = 0, b = 0] = (colour.match(/[\d.]+/g) ?? []).map(Number);
    const linear = (channel: number): number => {
      const value = channel / 255;
      return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const [light, dark] = [luminance(first), luminance(second)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

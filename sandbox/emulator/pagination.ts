/** Query-parameter parsing and the page shapes of atlassian-api.md §5.1. */
import { fail } from "./http-util";
import type { JiraRequest } from "./jira-context";

/** Integer query parameter; malformed values are a 400 like Jira's parameter validation [A]. */
export function intParam(req: JiraRequest, name: string, fallback: number): number {
  const raw = req.query.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^-?\d+$/.test(raw.trim())) fail(400, `The '${name}' parameter must be an integer.`);
  return Number(raw);
}

export function boolParam(req: JiraRequest, name: string, fallback: boolean): boolean {
  const raw = req.query.get(name);
  if (raw === null || raw === "") return fallback;
  return raw.toLowerCase() === "true";
}

/** Repeated or comma-separated list parameter. */
export function listParam(req: JiraRequest, name: string): string[] {
  return req.query
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * Effective page size: the endpoint's own ceiling is applied silently (as Jira does), then the test-controlled
 * `modes.maxResultsCap[path]`. Values below `min` are rejected.
 */
export function pageSize(req: JiraRequest, name: string, opts: { fallback: number; max: number; min?: number }): number {
  const requested = intParam(req, name, opts.fallback);
  if (requested < (opts.min ?? 0)) fail(400, `The '${name}' parameter must be at least ${opts.min ?? 0}.`);
  const cap = req.modes.maxResultsCap[req.path];
  return Math.min(requested, opts.max, cap ?? Number.POSITIVE_INFINITY);
}

export function offsetParam(req: JiraRequest, name: string): number {
  const value = intParam(req, name, 0);
  if (value < 0) fail(400, `The '${name}' parameter must not be negative.`);
  return value;
}

export interface PageBean<T> {
  self?: string;
  nextPage?: string;
  maxResults: number;
  startAt: number;
  total: number;
  isLast: boolean;
  values: T[];
}

/** A `PageBean…` page; `links` builds `self`/`nextPage` URLs for endpoints that send them (group/member). */
export function pageBean<T>(all: readonly T[], startAt: number, maxResults: number, links?: (startAt: number) => string): PageBean<T> {
  const values = all.slice(startAt, startAt + maxResults);
  const isLast = startAt + values.length >= all.length;
  const head = links ? { self: links(startAt), ...(isLast ? {} : { nextPage: links(startAt + values.length) }) } : {};
  return { ...head, maxResults, startAt, total: all.length, isLast, values };
}

/**
 * The invariant, checked after every run and at the end: the tracked grant is not revoked, and the store holds its
 * current token or a rotated-out one still inside its leeway. Conservative: a token counts as retired at the last
 * moment the bench saw it current, which is no later than its real retirement. Every grant the bench created (old
 * ones after a re-authorization, new ones whose seeding did not finish) must also never be revoked.
 * A re-authorization's grant becomes the tracked one once the store holds one of its tokens.
 */
import { createHash } from "node:crypto";
import type { StoredRefreshToken } from "../../token-store";
import { LEEWAY_MS, MINUTE, type World } from "./writer";

export class Invariant {
  /** Last emulator time each token was seen as its family's current token. */
  private readonly lastSeenCurrent = new Map<string, number>();
  private readonly families = new Set<string>();
  private readonly reported = new Set<string>();
  tracked: string;

  constructor(
    private readonly world: World,
    familyId: string,
  ) {
    this.tracked = familyId;
    this.add(familyId);
  }

  add(familyId: string): void {
    this.families.add(familyId);
    this.observe();
  }

  /** Records which token is current in every family now. */
  observe(): void {
    for (const id of this.families) {
      const current = this.world.emulator.family(id)?.currentRefreshToken;
      if (current) this.lastSeenCurrent.set(current, this.world.now());
    }
  }

  /** When the stored token was last seen current, if it is no longer current (at risk); undefined when current. */
  retiredSince(stored: StoredRefreshToken | undefined): number | undefined {
    if (!stored) return undefined;
    const family = this.world.emulator.family(stored.refreshToken);
    if (!family || family.currentRefreshToken === stored.refreshToken) return undefined;
    return this.world.retiredAt.get(stored.refreshToken) ?? this.lastSeenCurrent.get(stored.refreshToken) ?? -Infinity;
  }

  /** Violations now (empty: the invariant holds). Follows the store to a re-authorization's grant. */
  async check(when: string): Promise<string[]> {
    const stored = await this.world.base.read();
    const storedFamily = stored ? this.world.emulator.family(stored.refreshToken) : undefined;
    if (storedFamily && storedFamily.id !== this.tracked && this.families.has(storedFamily.id)) this.tracked = storedFamily.id;
    const out: string[] = [];
    for (const id of this.families) {
      const family = this.world.emulator.family(id)!;
      if (family.revoked && !this.reported.has(id)) {
        this.reported.add(id);
        out.push(`${when}: ${id === this.tracked ? "the tracked grant" : "an untracked grant (old, or a re-authorization not stored)"} was revoked (${family.revokedReason})`);
      }
    }
    const family = this.world.emulator.family(this.tracked)!;
    if (family.revoked) return out;
    if (!stored) return [...out, `${when}: store empty`];
    if (stored.refreshToken === family.currentRefreshToken) return out;
    const seen = this.world.retiredAt.get(stored.refreshToken) ?? this.lastSeenCurrent.get(stored.refreshToken);
    if (storedFamily?.id !== this.tracked || seen === undefined) return [...out, `${when}: stored token was never the tracked family's current token`];
    const t = this.world.now();
    if (t >= seen + LEEWAY_MS) out.push(`${when}: stored token rotated out ${((t - seen) / MINUTE).toFixed(1)} min ago (leeway 10 min)`);
    return out;
  }

  /** Short, non-secret label of a token for the history. */
  static label(token: string | undefined): string {
    return token ? createHash("sha256").update(token).digest("hex").slice(0, 6) : "-";
  }
}

import { nextArrayOffset, nextCursor, nextEnvelopeOffset, nextPageBeanOffset } from "../../atlassian";

describe("pagination stop rules", () => {
  test("bare arrays: only an empty page ends; offsets advance by what was received", () => {
    expect(nextArrayOffset(0, 0)).toBeUndefined();
    expect(nextArrayOffset(0, 1000)).toBe(1000);
    expect(nextArrayOffset(1000, 37)).toBe(1037); // short page (a cap) is not the end
  });

  test("PageBean: isLast, then total, then nextPage", () => {
    expect(nextPageBeanOffset(0, { received: 50, isLast: true })).toBeUndefined();
    expect(nextPageBeanOffset(0, { received: 0, isLast: false })).toBeUndefined();
    expect(nextPageBeanOffset(0, { received: 10, isLast: false, total: 10 })).toBe(10);
    expect(nextPageBeanOffset(0, { received: 10, total: 25 })).toBe(10);
    expect(nextPageBeanOffset(20, { received: 5, total: 25 })).toBeUndefined();
    expect(nextPageBeanOffset(0, { received: 10, nextPage: "https://x/next" })).toBe(10);
    expect(nextPageBeanOffset(0, { received: 10 })).toBeUndefined();
  });

  test("offset envelope: empty page or total reached", () => {
    expect(nextEnvelopeOffset(0, { received: 0, total: 10 })).toBeUndefined();
    expect(nextEnvelopeOffset(0, { received: 4, total: 10 })).toBe(4);
    expect(nextEnvelopeOffset(8, { received: 2, total: 10 })).toBeUndefined();
    expect(nextEnvelopeOffset(8, { received: 2 })).toBe(10);
  });

  test("cursor: isLast or no token", () => {
    expect(nextCursor({ isLast: true, nextPageToken: "t" })).toBeUndefined();
    expect(nextCursor({ isLast: false, nextPageToken: null })).toBeUndefined();
    expect(nextCursor({ nextPageToken: "t2" })).toBe("t2");
  });
});

import { parseMemoryLimit } from "../../fleet/memory-limit";

describe("parseMemoryLimit", () => {
  it.each([
    ["2GB", "2GB"],
    ["512 mib", "512MiB"],
    [" 1.5GiB ", "1.5GiB"],
    ["64MiB", "64MiB"],
    ["1tb", "1TB"],
  ])("accepts %j as %s", (text, expected) => expect(parseMemoryLimit(text)).toBe(expected));

  it.each(["", "2", "GB", "63MiB", "64MB", "-1GB", "1,5GB", "1e3GB", "2 GB;SET x=1", "0x10GB"])("refuses %j with the fix", (text) => {
    expect(() => parseMemoryLimit(text)).toThrow(expect.objectContaining({ code: "FLEET_MEMORY_LIMIT", message: expect.stringMatching(/at least 64MiB with its unit, e\.g\. 2GB/) }));
  });
});

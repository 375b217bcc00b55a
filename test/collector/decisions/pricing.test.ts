import { parsePricing, PricingError, pricingFromPairs } from "../../../collector/decisions/pricing";

describe("parsePricing", () => {
  test("accepts a currency and per-product monthly prices", () => {
    expect(parsePricing({ currency: "USD", monthlyPerSeat: { "jira-software": 8.6, "jira-servicedesk": 0 } })).toEqual({
      currency: "USD",
      monthlyPerSeat: { "jira-software": 8.6, "jira-servicedesk": 0 },
    });
  });

  test.each([
    [{ monthlyPerSeat: { "jira-software": 1 } }, "pricing.currency"],
    [{ currency: "usd", monthlyPerSeat: { "jira-software": 1 } }, "pricing.currency: an ISO 4217 currency code"],
    [{ currency: "USD", monthlyPerSeat: {} }, "pricing.monthlyPerSeat: at least one product's price"],
    [{ currency: "USD", monthlyPerSeat: { "jira-software": -1 } }, "pricing.monthlyPerSeat.jira-software"],
    [{ currency: "USD", monthlyPerSeat: { "jira-software": "8" } }, "pricing.monthlyPerSeat.jira-software"],
    [{ currency: "USD", monthlyPerSeat: { "Jira Software": 8 } }, "pricing.monthlyPerSeat.Jira Software: not a Jira product key"],
    [{ currency: "USD", monthlyPerSeat: { "jira-software": 8 }, yearly: true }, "pricing"],
    [null, "pricing"],
  ])("%j is refused, naming %s", (value, expected) => {
    expect(() => parsePricing(value)).toThrow(PricingError);
    expect(() => parsePricing(value)).toThrow(expected);
  });
});

describe("pricingFromPairs", () => {
  test("--price pairs and --currency", () => {
    expect(pricingFromPairs(["jira-software=8.60", " jira-servicedesk=23.5 "], "EUR")).toEqual({ currency: "EUR", monthlyPerSeat: { "jira-software": 8.6, "jira-servicedesk": 23.5 } });
  });
  test("names the bad pair or the missing currency", () => {
    expect(() => pricingFromPairs(["jira-software"], "USD")).toThrow('--price "jira-software": expected <product-key>=<monthly price per seat>');
    expect(() => pricingFromPairs(["jira-software=ten"], "USD")).toThrow("--price.monthlyPerSeat.jira-software");
    expect(() => pricingFromPairs(["jira-software=10"], undefined)).toThrow("--price.currency");
  });
});

/**
 * Plays the admin's browser in an OAuth consent: requests the authorization URL without following redirects and
 * returns the callback parameters from the `Location` header.
 */
export async function consentAsBrowser(authorizationUrl: string): Promise<{ location: string; params: URLSearchParams }> {
  const response = await fetch(authorizationUrl, { redirect: "manual" });
  const location = response.headers.get("location");
  if (response.status < 300 || response.status >= 400 || !location) {
    throw new Error(`expected a redirect from /authorize, got HTTP ${response.status}`);
  }
  return { location, params: new URL(location).searchParams };
}

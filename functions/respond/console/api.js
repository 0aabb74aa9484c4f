// Talking to the review API: the educator's token, JSON in and out, problem+json errors as ApiError.

const TOKEN_KEY = "antidote.token";
const STATE_KEY = "antidote.oauth-state";

// The API lives next to the page (the same origin and, in AWS, the same stage prefix such as /prod/).
const BASE = new URL(".", window.location.href);

export class ApiError extends Error {
  constructor(status, problem) {
    // problem+json from the service, or API Gateway's own {"message": …} (its Cognito authorizer answers 401 so)
    super(problem.detail || problem.message || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function getToken() {
  return window.sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  window.sessionStorage.setItem(TOKEN_KEY, token.trim());
}

export function clearToken() {
  window.sessionStorage.removeItem(TOKEN_KEY);
}

/** Who the token says you are (read only for display; the server verifies every request). */
export function identity(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(window.atob(part.padEnd(Math.ceil(part.length / 4) * 4, "=")), (c) =>
      c.charCodeAt(0),
    );
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    const groups = [].concat(claims["cognito:groups"] || []);
    const role = claims.role || (groups.includes("admin") ? "admin" : "educator");
    const user = claims["cognito:username"] || claims.sub || "unknown";
    return { user: String(user), role: String(role), expires: claims.exp ? claims.exp * 1000 : null };
  } catch {
    return null;
  }
}

/**
 * Take a token handed over in the URL fragment (#token=… from a local link, #id_token=… from the Cognito hosted
 * UI), then remove the fragment so the token is not left in the address bar or the history.
 * Returns {token} or {error} or null when the fragment holds neither.
 */
export function takeTokenFromFragment() {
  const fragment = window.location.hash.replace(/^#/, "");
  if (!fragment) return null;
  const params = new URLSearchParams(fragment);
  const token = params.get("id_token") || params.get("token");
  const error = params.get("error_description") || params.get("error");
  if (!token && !error) return null;
  window.history.replaceState(null, "", window.location.pathname + window.location.search);
  if (error) return { error };
  if (params.has("id_token")) {
    const expected = window.sessionStorage.getItem(STATE_KEY);
    window.sessionStorage.removeItem(STATE_KEY);
    if (!expected || params.get("state") !== expected) {
      return { error: "the sign-in response did not match a sign-in started here; please sign in again" };
    }
  }
  return { token };
}

/** The Cognito hosted UI sign-in address (implicit grant: it returns #id_token=… to this page). */
export function hostedSignInUrl(cognito) {
  const state = Array.from(window.crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, "0"),
  ).join("");
  window.sessionStorage.setItem(STATE_KEY, state);
  const url = new URL("/oauth2/authorize", cognito.domain);
  url.search = new URLSearchParams({
    client_id: cognito.client_id,
    response_type: "token",
    scope: "openid email profile",
    redirect_uri: BASE.href,
    state,
  }).toString();
  return url.href;
}

export function hostedSignOutUrl(cognito) {
  const url = new URL("/logout", cognito.domain);
  url.search = new URLSearchParams({ client_id: cognito.client_id, logout_uri: BASE.href }).toString();
  return url.href;
}

/** One API call. Resolves to the parsed JSON body; rejects with ApiError (status 0 when the network failed). */
export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(new URL(path, BASE), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      credentials: "omit",
    });
  } catch {
    throw new ApiError(0, { title: "Network error", detail: "Cannot reach the Antidote service; retrying." });
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const problem = data && typeof data === "object" ? data : { detail: text.slice(0, 300) || response.statusText };
    throw new ApiError(response.status, problem);
  }
  return data;
}

/** Optional deploy-time settings (hosted UI, undo window); absent locally or before the route exists. */
export async function loadConfig() {
  try {
    const response = await fetch(new URL("console/config.json", BASE), { cache: "no-store", credentials: "omit" });
    if (!response.ok) return {};
    const data = await response.json();
    return data && typeof data === "object" ? data : {};
  } catch {
    return {};
  }
}

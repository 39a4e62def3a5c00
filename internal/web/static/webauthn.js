// Tipline desk: the WebAuthn ceremonies, the only script the desk loads, and
// only on its security-key pages. It runs navigator.credentials.create and
// .get with options from the server, and posts the answers back; every check
// is the server's. No third party, no framework, no inline script.
"use strict";

(function () {
  function fromBase64URL(s) {
    const b = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
    const out = new Uint8Array(b.length);
    for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
    return out.buffer;
  }

  function toBase64URL(buf) {
    const bytes = new Uint8Array(buf);
    let b = "";
    for (let i = 0; i < bytes.length; i++) b += String.fromCharCode(bytes[i]);
    return btoa(b).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function say(text) {
    const status = document.getElementById("webauthn-status");
    status.textContent = text;
    status.hidden = false;
  }

  async function post(url, body) {
    const resp = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });
    const data = await resp.json().catch(function () { return {}; });
    if (!resp.ok) throw new Error(data.error || "The desk refused this: try again.");
    return data;
  }

  function descriptors(list) {
    return (list || []).map(function (c) {
      return Object.assign({}, c, { id: fromBase64URL(c.id) });
    });
  }

  // The server's options carry binary values as base64url strings.
  function creationOptions(o) {
    const pk = Object.assign({}, o.publicKey);
    pk.challenge = fromBase64URL(pk.challenge);
    pk.user = Object.assign({}, pk.user, { id: fromBase64URL(pk.user.id) });
    pk.excludeCredentials = descriptors(pk.excludeCredentials);
    return { publicKey: pk };
  }

  function requestOptions(o) {
    const pk = Object.assign({}, o.publicKey);
    pk.challenge = fromBase64URL(pk.challenge);
    pk.allowCredentials = descriptors(pk.allowCredentials);
    return { publicKey: pk };
  }

  // The answer as JSON, binary values as base64url, as the server parses it.
  function answer(cred) {
    const r = cred.response;
    const out = {
      id: cred.id,
      rawId: toBase64URL(cred.rawId),
      type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults(),
      response: { clientDataJSON: toBase64URL(r.clientDataJSON) },
    };
    if (cred.authenticatorAttachment) out.authenticatorAttachment = cred.authenticatorAttachment;
    if (r.attestationObject) {
      out.response.attestationObject = toBase64URL(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      out.response.authenticatorData = toBase64URL(r.authenticatorData);
      out.response.signature = toBase64URL(r.signature);
      if (r.userHandle) out.response.userHandle = toBase64URL(r.userHandle);
    }
    return out;
  }

  async function register(event) {
    event.preventDefault();
    const name = document.getElementById("key-name").value;
    try {
      say("Touch or unlock your security key.");
      const options = await post("/account/webauthn/register/begin");
      const cred = await navigator.credentials.create(creationOptions(options));
      const done = await post("/account/webauthn/register/finish", { name: name, credential: answer(cred) });
      window.location.assign(done.next);
    } catch (e) {
      say("The key was not added: " + e.message);
    }
  }

  async function login() {
    try {
      say("Touch or unlock your security key.");
      const options = await post("/login/webauthn/begin");
      const cred = await navigator.credentials.get(requestOptions(options));
      const done = await post("/login/webauthn/finish", answer(cred));
      window.location.assign(done.next);
    } catch (e) {
      say("That did not work: " + e.message);
    }
  }

  function start() {
    if (!window.PublicKeyCredential || !navigator.credentials) {
      document.querySelectorAll("[data-without-script]").forEach(function (el) {
        el.textContent = "This browser cannot use security keys. Log in with the code from your authenticator app.";
      });
      return;
    }
    document.querySelectorAll("[data-without-script]").forEach(function (el) { el.hidden = true; });
    document.querySelectorAll("[data-with-script]").forEach(function (el) { el.hidden = false; });
    const form = document.getElementById("webauthn-register-form");
    if (form) form.addEventListener("submit", register);
    const button = document.getElementById("webauthn-login-button");
    if (button) button.addEventListener("click", login);
  }

  start();
})();

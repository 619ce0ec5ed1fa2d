/*!
 * Assistant des pôles sociaux départementaux (92) — chat widget.
 * One <script> tag; loads widget.css and vendor/socket.io.min.js from beside itself.
 * All text is rendered with textContent; links only from bot messages, http(s) only.
 */
(function () {
  'use strict';

  const script = document.currentScript || document.querySelector('script[src*="widget/widget.js"]');
  if (!script || window.__cw92Loaded) return;
  window.__cw92Loaded = true;

  const STRINGS = {
    title: 'Assistant des pôles sociaux',
    launcher: 'Une question ?',
    launcherHint: 'Assistant des pôles sociaux',
    close: 'Fermer',
    closeHint: "l'assistant",
    restart: 'Nouvelle conversation',
    easyRead: 'Version facile à lire',
    easyReadOn: 'Version facile à lire : oui',
    easyReadOff: 'Version facile à lire : non',
    logLabel: "Conversation avec l'assistant",
    note: "N'indiquez pas d'informations personnelles (nom, numéro de sécurité sociale…). En cas de danger immédiat, appelez le 112.",
    you: 'Vous :',
    bot: "L'assistant :",
    inputLabel: 'Votre message',
    placeholder: 'Ex. : pôle social de Clamart',
    send: 'Envoyer',
    typing: "L'assistant écrit…",
    quickReplies: 'Réponses proposées',
    newWindow: '(nouvelle fenêtre)',
    attachment: 'Ouvrir le document',
    connecting: "Connexion à l'assistant…",
    unreachable: "L'assistant est injoignable pour le moment, nouvelle tentative…",
    disconnected: 'Connexion perdue, nouvelle tentative…',
    reconnected: 'Connexion rétablie',
    noReply: "L'assistant ne répond pas pour le moment. Merci de réessayer dans quelques instants.",
    empty: "Écrivez votre message avant de l'envoyer.",
    feedbackQuestion: 'Cette réponse vous a-t-elle aidé ?',
    feedbackYes: 'Oui',
    feedbackNo: 'Non',
    feedbackThanks: 'Merci pour votre avis.',
    initialMessage: 'Bonjour ! Je vous aide à trouver votre pôle social départemental, ses horaires et ses services. Posez votre question, par exemple : « Quel pôle social pour Clamart ? »',
  };

  const ds = script.dataset;
  const S = Object.assign({}, STRINGS);
  if (ds.strings) {
    try {
      const custom = JSON.parse(ds.strings);
      for (const key of Object.keys(STRINGS)) {
        if (typeof custom[key] === 'string') S[key] = custom[key];
      }
    } catch (e) { /* bad JSON: keep the defaults */ }
  }
  const server = new URL(ds.serverUrl || location.origin, location.href);
  const config = {
    origin: server.origin,
    path: ds.socketPath || server.pathname.replace(/\/+$/, '') + '/socket.io/',
    title: ds.title || S.title,
    initialMessage: ds.initialMessage !== undefined ? ds.initialMessage : S.initialMessage,
    initialPayload: ds.initialPayload || '',
    lang: ds.lang || 'fr',
    headingLevel: Math.min(6, Math.max(2, parseInt(ds.headingLevel, 10) || 2)),
    replyTimeoutMs: (parseInt(ds.replyTimeout, 10) || 30) * 1000,
    maxLength: parseInt(ds.maxLength, 10) || 2000,
    // Long-polling by default: the project's Rasa (Sanic 21.12) has no working websockets.
    transports: (ds.transports || 'polling').split(',').map((t) => t.trim()).filter(Boolean),
  };
  const container = ds.container ? document.querySelector(ds.container) : null;
  const inline = Boolean(container);
  const base = new URL('.', script.src);
  const STORE_KEY = 'cw92:' + config.origin + config.path;
  const MAX_HISTORY = 200;
  const uid = 'cw92-' + Math.random().toString(36).slice(2, 8);

  // ---- state (sessionStorage: survives a reload, not the closing of the tab)
  let state = { sessionId: null, open: false, payloadSent: false, easyRead: false, messages: [] };
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || 'null');
    if (saved && Array.isArray(saved.messages)) {
      state = {
        sessionId: typeof saved.sessionId === 'string' ? saved.sessionId : null,
        open: saved.open === true,
        payloadSent: saved.payloadSent === true,
        easyRead: saved.easyRead === true,
        messages: saved.messages.filter(validMessage).slice(-MAX_HISTORY),
      };
    }
  } catch (e) { /* storage unavailable or corrupt: start afresh */ }

  function validMessage(m) {
    return m && (m.from === 'user' || m.from === 'bot') && typeof m.text === 'string';
  }
  function save() {
    state.messages = state.messages.slice(-MAX_HISTORY);
    try { sessionStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* full or disabled */ }
  }

  // ---- DOM helpers (no innerHTML anywhere)
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') node.textContent = v;
      else if (k === 'className') node.className = v;
      else if (v === true) node.setAttribute(k, '');
      else if (v !== false && v != null) node.setAttribute(k, v);
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }
  function srOnly(text) { return el('span', { className: 'cw92-sr', text: text }); }
  function icon(d) {
    const NS = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'cw92-icon');
    const path = document.createElementNS(NS, 'path');
    path.setAttribute('d', d);
    svg.appendChild(path);
    return svg;
  }

  // ---- build the widget
  const root = el('div', { className: 'cw92' + (inline ? ' cw92--inline' : ''), lang: config.lang, hidden: true });
  const titleId = uid + '-title';
  const panelId = uid + '-panel';
  const inputId = uid + '-input';

  const launcher = inline ? null : el('button', {
    type: 'button', className: 'cw92-launcher', 'aria-expanded': 'false', 'aria-controls': panelId,
  }, [
    icon('M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z'),
    el('span', { className: 'cw92-launcher-text', text: S.launcher }),
    srOnly(' ' + S.launcherHint),
  ]);

  const closeBtn = inline ? null : el('button', { type: 'button', className: 'cw92-textbtn cw92-close' }, [
    el('span', { text: S.close }), srOnly(' ' + S.closeHint),
    icon('M6 6l12 12M18 6L6 18'),
  ]);
  const restartBtn = el('button', { type: 'button', className: 'cw92-textbtn cw92-restart', text: S.restart });
  // The easy-to-read mode (FALC) is a slot of the conversation: the switch sends
  // the intent that sets it, and shows the state remembered for this conversation.
  const easyBtn = el('button', {
    type: 'button', role: 'switch', className: 'cw92-textbtn cw92-easy',
    'aria-checked': state.easyRead ? 'true' : 'false',
  }, [el('span', { className: 'cw92-easy-box', 'aria-hidden': 'true' }), el('span', { text: S.easyRead })]);
  const heading = el('h' + config.headingLevel, { id: titleId, className: 'cw92-title', text: config.title });
  const header = el('div', { className: 'cw92-header' }, [heading, closeBtn]);
  // History is rendered while the log is quiet (aria-live="off"); it becomes
  // polite once attached, so only new bot messages are announced.
  const log = el('div', {
    className: 'cw92-log', role: 'log', 'aria-live': 'off', 'aria-relevant': 'additions',
    'aria-label': S.logLabel, tabindex: '0',
  }, [el('p', { className: 'cw92-note', text: S.note })]);
  const typing = el('div', { className: 'cw92-typing', hidden: true }, [
    el('span', { className: 'cw92-dots', 'aria-hidden': 'true' }, [el('span'), el('span'), el('span')]),
    el('span', { text: S.typing }),
  ]);
  const status = el('p', { className: 'cw92-status', role: 'status' });
  const input = el('input', {
    id: inputId, className: 'cw92-input', type: 'text', autocomplete: 'off', enterkeyhint: 'send',
    maxlength: String(config.maxLength), placeholder: S.placeholder,
  });
  const sendBtn = el('button', { type: 'submit', className: 'cw92-send' }, [
    el('span', { text: S.send }), icon('M3 20l18-8L3 4v6l12 2-12 2z'),
  ]);
  const form = el('form', { className: 'cw92-form', novalidate: true }, [
    el('label', { className: 'cw92-label', for: inputId, text: S.inputLabel }),
    el('div', { className: 'cw92-row' }, [input, sendBtn]),
    // After the send button: Shift+Tab from the input reaches the quick replies.
    el('div', { className: 'cw92-formfoot' }, [easyBtn, restartBtn]),
  ]);
  // "Cette réponse vous a-t-elle aidé ?": after the form, so it never comes
  // between the resident and the input (Shift+Tab from the input still reaches
  // the quick replies first); outside the log, so it is not announced each turn.
  const feedbackQuestionId = uid + '-feedback';
  const feedbackYes = el('button', { type: 'button', className: 'cw92-reply cw92-fb', text: S.feedbackYes });
  const feedbackNo = el('button', { type: 'button', className: 'cw92-reply cw92-fb', text: S.feedbackNo });
  const feedback = el('div', {
    className: 'cw92-feedback', role: 'group', 'aria-labelledby': feedbackQuestionId, hidden: true,
  }, [el('p', { id: feedbackQuestionId, className: 'cw92-feedback-q', text: S.feedbackQuestion }),
    feedbackYes, feedbackNo]);
  const panel = el('section', {
    id: panelId, className: 'cw92-panel', 'aria-labelledby': titleId, hidden: !inline,
  }, [header, log, typing, status, form, feedback]);
  if (launcher) root.appendChild(launcher);
  root.appendChild(panel);

  // ---- rendering messages
  const URL_RE = /\bhttps?:\/\/[^\s<>"'«»]+/gi;

  function safeUrl(raw) {
    try {
      const url = new URL(raw);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (e) { return null; }
  }
  function link(href, label) {
    const a = el('a', {
      className: 'cw92-link', href: href, target: '_blank', rel: 'noopener noreferrer',
    }, [document.createTextNode(label), srOnly(' ' + S.newWindow)]);
    return a;
  }
  // Long URLs are shown as "host/…" (the full address stays in href).
  function linkLabel(raw) {
    if (raw.length <= 40) return raw;
    const url = new URL(raw);
    return url.hostname.replace(/^www\./, '') + (url.pathname.length > 1 || url.search ? '/…' : '');
  }
  // Bot text: plain text nodes, with http(s) URLs turned into links.
  function autolink(parent, text) {
    let last = 0;
    for (const match of text.matchAll(URL_RE)) {
      let raw = match[0].replace(/[.,;:!?)\]}]+$/, '');
      const href = safeUrl(raw);
      if (!href) continue;
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      parent.appendChild(link(href, linkLabel(raw)));
      last = match.index + raw.length;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }
  function messageNode(m) {
    const node = el('div', { className: 'cw92-msg cw92-msg--' + m.from }, [
      srOnly(m.from === 'user' ? S.you : S.bot),
    ]);
    const p = el('p', { className: 'cw92-text' });
    if (m.from === 'bot') autolink(p, m.text); else p.textContent = m.text;
    node.appendChild(p);
    for (const l of m.links || []) {
      const href = safeUrl(l.url);
      if (href) node.appendChild(el('p', { className: 'cw92-attachment' }, [link(href, l.title || S.attachment)]));
    }
    return node;
  }
  function repliesNode(buttons) {
    const group = el('div', { className: 'cw92-replies', role: 'group', 'aria-label': S.quickReplies });
    for (const b of buttons) {
      const btn = el('button', { type: 'button', className: 'cw92-reply', text: b.title });
      btn.addEventListener('click', () => send(b.payload, b.title));
      group.appendChild(btn);
    }
    return group;
  }
  function clearReplies() {
    for (const g of log.querySelectorAll('.cw92-replies')) g.remove();
  }

  // Live-region discipline: user messages are added while the log is quiet,
  // bot messages only once it is polite again (so they are announced). The log
  // starts quiet until the restored history is in place.
  let quietTimer = null;
  let settling = true;
  const liveQueue = [];
  function goLive() {
    log.setAttribute('aria-live', 'polite');
    settling = true;
    setTimeout(() => { settling = false; flushLive(); }, 100);
  }
  function addQuiet(nodes) {
    log.setAttribute('aria-live', 'off');
    for (const n of nodes) log.appendChild(n);
    scrollToEnd();
    clearTimeout(quietTimer);
    quietTimer = setTimeout(() => { quietTimer = null; goLive(); }, 300);
  }
  function addLive(nodes) {
    liveQueue.push(...nodes);
    flushLive();
  }
  function flushLive() {
    if (quietTimer || settling || !liveQueue.length) return;
    for (const n of liveQueue.splice(0)) log.appendChild(n);
    scrollToEnd();
  }
  function scrollToEnd() {
    const reduce = window.matchMedia && matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (log.scrollTo) log.scrollTo({ top: log.scrollHeight, behavior: reduce ? 'auto' : 'smooth' });
    else log.scrollTop = log.scrollHeight;
  }

  function renderHistory() {
    const msgs = state.messages;
    msgs.forEach((m, i) => {
      log.appendChild(messageNode(m));
      if (m.from === 'bot' && m.buttons && m.buttons.length && msgs.slice(i + 1).every((n) => n.from === 'bot')) {
        log.appendChild(repliesNode(m.buttons));
      }
    });
  }

  function addBotMessage(m, live) {
    state.messages.push(m);
    save();
    const nodes = [messageNode(m)];
    if (m.buttons && m.buttons.length) nodes.push(repliesNode(m.buttons));
    if (live) addLive(nodes); else addQuiet(nodes);
  }

  // ---- status line and typing indicator
  let statusTimer = null;
  function setStatus(text, kind, clearAfterMs) {
    clearTimeout(statusTimer);
    // Unchanged text is not rewritten: it would be announced again at each retry.
    if (status.textContent !== (text || '')) status.textContent = text || '';
    status.className = 'cw92-status' + (kind ? ' cw92-status--' + kind : '');
    if (clearAfterMs) statusTimer = setTimeout(() => setStatus(''), clearAfterMs);
  }
  let replyTimer = null;
  function showTyping() {
    typing.hidden = false;
    clearTimeout(replyTimer);
    replyTimer = setTimeout(() => {
      typing.hidden = true;
      setStatus(S.noReply, 'warning');
    }, config.replyTimeoutMs);
  }
  function hideTyping() {
    typing.hidden = true;
    clearTimeout(replyTimer);
  }

  // ---- connection (socket.io, Rasa's socketio channel)
  let socket = null;
  let ready = false;
  let everConnected = false;
  let lost = false;
  const outbox = [];

  // Our own socket.io-client; a page's global `io` (maybe another version) is put back.
  let ioLib = null;
  function loadSocketIo() {
    if (ioLib) return Promise.resolve(ioLib);
    const previous = window.io;
    return new Promise((resolve, reject) => {
      const s = el('script', { src: new URL('vendor/socket.io.min.js', base).href, async: true });
      s.onload = () => {
        ioLib = window.io;
        if (previous) window.io = previous;
        if (typeof ioLib === 'function') resolve(ioLib); else reject(new Error('socket.io'));
      };
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  function connect() {
    if (socket) return;
    socket = true; // connecting
    setStatus(S.connecting);
    loadSocketIo().then((io) => {
      socket = io(config.origin, {
        path: config.path, transports: config.transports,
        reconnectionDelay: 1000, reconnectionDelayMax: 5000, timeout: 10000,
      });
      socket.on('connect', () => {
        socket.emit('session_request', { session_id: state.sessionId });
      });
      socket.on('session_confirm', (id) => {
        const sid = typeof id === 'string' ? id : id && id.session_id;
        if (typeof sid === 'string' && sid) state.sessionId = sid;
        save();
        ready = true;
        if (lost) setStatus(S.reconnected, 'ok', 8000);
        else if (status.textContent === S.connecting) setStatus('');
        lost = false;
        everConnected = true;
        if (config.initialPayload && !state.payloadSent) {
          state.payloadSent = true;
          save();
          outbox.unshift(config.initialPayload);
        }
        flush();
      });
      socket.on('bot_uttered', onBotUttered);
      socket.on('error', (data) => {
        hideTyping();
        if (data && typeof data.error === 'string') setStatus(data.error, 'warning');
      });
      socket.on('disconnect', (reason) => {
        ready = false;
        hideTyping();
        if (reason === 'io client disconnect') return;
        lost = true;
        setStatus(S.disconnected, 'warning');
      });
      socket.on('connect_error', () => {
        ready = false;
        hideTyping();
        lost = true;
        setStatus(everConnected ? S.disconnected : S.unreachable, 'warning');
      });
    }).catch(() => {
      socket = null;
      setStatus(S.unreachable, 'warning');
    });
  }
  function flush() {
    if (!ready || !outbox.length) return;
    while (outbox.length) {
      socket.emit('user_uttered', { message: outbox.shift(), session_id: state.sessionId });
    }
    showTyping();
  }

  function onBotUttered(data) {
    if (!data || typeof data !== 'object') return;
    hideTyping();
    if (status.textContent === S.noReply) setStatus('');
    const text = typeof data.text === 'string' ? data.text : '';
    const raw = Array.isArray(data.quick_replies) ? data.quick_replies : Array.isArray(data.buttons) ? data.buttons : [];
    const buttons = raw
      .filter((b) => b && typeof b.title === 'string' && (typeof b.payload === 'string' || b.payload == null))
      .map((b) => ({ title: b.title, payload: typeof b.payload === 'string' && b.payload ? b.payload : b.title }));
    const links = [];
    const att = data.attachment;
    const payload = att && typeof att === 'object' ? att.payload || att : null;
    if (payload && typeof payload === 'object') {
      const url = payload.src || payload.url;
      if (typeof url === 'string' && safeUrl(url)) {
        links.push({ url: url, title: typeof payload.title === 'string' ? payload.title : '' });
      }
    }
    if (typeof data.image === 'string' && safeUrl(data.image)) links.push({ url: data.image, title: '' });
    if (!text && !buttons.length && !links.length) return;
    addBotMessage({ from: 'bot', text: text, buttons: buttons, links: links }, true);
    offerFeedback();
  }

  // ---- feedback on the last answer (stored in the conversation, counted by the report)
  let feedbackTimer = null;
  let awaitingAnswer = false;
  function offerFeedback() {
    if (!awaitingAnswer) return;
    clearTimeout(feedbackTimer);
    // once the answer's messages have all arrived
    feedbackTimer = setTimeout(() => { awaitingAnswer = false; feedback.hidden = false; }, 700);
  }
  function hideFeedback() {
    clearTimeout(feedbackTimer);
    feedback.hidden = true;
  }
  function giveFeedback(value) {
    const moveFocus = feedback.contains(document.activeElement);
    hideFeedback();
    if (socket && socket !== true && ready) {
      socket.emit('feedback', { session_id: state.sessionId, value: value });
    }
    setStatus(S.feedbackThanks, 'ok', 6000);
    if (moveFocus) input.focus();
  }
  feedbackYes.addEventListener('click', () => giveFeedback('up'));
  feedbackNo.addEventListener('click', () => giveFeedback('down'));

  // ---- user actions
  function send(text, shown) {
    const message = (text || '').trim();
    if (!message) {
      setStatus(S.empty, 'warning', 6000);
      input.focus();
      return;
    }
    if (status.textContent === S.empty || status.textContent === S.noReply) setStatus('');
    clearReplies();
    hideFeedback();
    awaitingAnswer = true;
    const m = { from: 'user', text: (shown || message).slice(0, config.maxLength) };
    state.messages.push(m);
    save();
    addQuiet([messageNode(m)]);
    outbox.push(message);
    connect();
    flush();
    input.focus();
  }

  function welcome() {
    if (state.messages.length || !config.initialMessage) return;
    addBotMessage({ from: 'bot', text: config.initialMessage }, true);
  }

  function open(moveFocus) {
    panel.hidden = false;
    root.classList.add('cw92--open');
    if (launcher) launcher.setAttribute('aria-expanded', 'true');
    state.open = true;
    save();
    connect();
    // After the panel is shown, so the welcome is announced.
    setTimeout(welcome, 150);
    scrollToEnd();
    if (moveFocus) input.focus();
  }
  function close() {
    if (inline) return;
    panel.hidden = true;
    root.classList.remove('cw92--open');
    launcher.setAttribute('aria-expanded', 'false');
    state.open = false;
    save();
    launcher.focus();
  }
  function restart() {
    for (const n of log.querySelectorAll('.cw92-msg, .cw92-replies')) n.remove();
    liveQueue.length = 0;
    outbox.length = 0;
    hideTyping();
    hideFeedback();
    awaitingAnswer = false;
    setStatus('');
    state = { sessionId: null, open: state.open, payloadSent: false, easyRead: false, messages: [] };
    easyBtn.setAttribute('aria-checked', 'false');
    save();
    if (socket && socket !== true && socket.connected) {
      ready = false;
      socket.emit('session_request', { session_id: null });
    }
    input.value = '';
    input.focus();
    welcome();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value;
    input.value = '';
    send(text);
  });
  restartBtn.addEventListener('click', restart);
  easyBtn.addEventListener('click', () => {
    state.easyRead = !state.easyRead;
    easyBtn.setAttribute('aria-checked', state.easyRead ? 'true' : 'false');
    save();
    send(state.easyRead ? '/ask_easy_read' : '/ask_standard_read',
      state.easyRead ? S.easyReadOn : S.easyReadOff);
    awaitingAnswer = false; // a mode switch is not an answer to rate
    easyBtn.focus();
  });
  if (launcher) {
    launcher.addEventListener('click', () => (panel.hidden ? open(true) : close()));
    closeBtn.addEventListener('click', close);
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !panel.hidden) {
        event.preventDefault();
        close();
      }
    });
  }

  // ---- mount: stylesheet first, then show
  renderHistory();
  const css = el('link', { rel: 'stylesheet', href: new URL('widget.css', base).href });
  const show = () => {
    root.hidden = false;
    // The log becomes live only once the restored history is in place.
    setTimeout(() => {
      if (!quietTimer) goLive();
      scrollToEnd();
    }, 300);
  };
  css.onload = show;
  css.onerror = show;
  document.head.appendChild(css);
  (container || document.body).appendChild(root);
  if (inline) open(false);
  else if (state.open) open(false);
  else if (state.messages.length) connect();
})();

// The partyclaw web client: conversations sidebar, paged transcript, live events over /ws. Everything the agent
// wrote is rendered by PartyMarkdown (DOM nodes and textContent only), never as HTML.
(function () {
  'use strict';
  const TOKEN_KEY = 'clawparty_auth_token';
  const CONVERSATION_KEY = 'clawparty_conversation_key';
  const PAGE = 30;
  const RECONNECT_MS = 3000;
  const $ = (id) => document.getElementById(id);

  const state = {
    token: localStorage.getItem(TOKEN_KEY) || '',
    key: null,
    rendered: new Map(),      // seq -> element, for the current conversation
    offset: 0,                // skeleton entries loaded so far (newest first)
    hasMore: false,
    loadingOlder: false,
    ws: null,
    wsGeneration: 0,
    streaming: null,          // {turnKey, text, el} of the current conversation
    finishedTurns: new Set(),
    composing: false,
  };

  function initialKey() {
    const fromUrl = new URLSearchParams(location.search).get('conversation');
    return fromUrl || localStorage.getItem(CONVERSATION_KEY) || 'web-default';
  }

  // ---- HTTP ----
  class Unauthorized extends Error {}

  async function api(method, path, body) {
    const opts = { method, headers: { Authorization: 'Bearer ' + state.token } };
    if (body !== undefined) {
      opts.headers['Content-Type'] = 'application/json';
      opts.body = JSON.stringify(body);
    }
    const r = await fetch(path, opts);
    if (r.status === 401) { askToken('The token was not accepted.'); throw new Unauthorized('unauthorized'); }
    const text = await r.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
    if (!r.ok) throw new Error((data && data.error) || ('HTTP ' + r.status));
    return data;
  }

  function attachmentUrl(ref) {
    const q = new URLSearchParams({ conversation_key: state.key, source: ref.source || 'workspace',
      path: ref.path, token: state.token });
    return '/api/attachment?' + q.toString();
  }

  // ---- login ----
  function askToken(message) {
    if (state.ws) { state.wsGeneration++; try { state.ws.close(); } catch (e) { /* closing anyway */ } state.ws = null; }
    $('login').classList.remove('hidden');
    const err = $('login-error');
    if (message) { err.textContent = message; err.classList.remove('hidden'); } else { err.classList.add('hidden'); }
    $('token-input').value = '';
    $('token-input').focus();
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const t = $('token-input').value.trim();
    if (!t) return;
    state.token = t;
    localStorage.setItem(TOKEN_KEY, t);
    $('login').classList.add('hidden');
    start();
  });

  $('forget-token').addEventListener('click', () => {
    localStorage.removeItem(TOKEN_KEY);
    state.token = '';
    askToken();
  });

  // ---- sidebar ----
  function when(ts) {
    if (!ts) return '';
    const d = new Date(ts);
    const now = new Date();
    return d.toDateString() === now.toDateString()
      ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : d.toLocaleDateString();
  }

  let sidebarTimer = null;
  function refreshSidebarSoon() {
    if (sidebarTimer) return;
    sidebarTimer = setTimeout(() => { sidebarTimer = null; loadConversations(); }, 400);
  }

  async function loadConversations() {
    let list;
    try { list = await api('GET', '/api/conversations'); } catch (e) { return; }
    const ul = $('conversations');
    ul.textContent = '';
    if (!list.some((c) => c.conversation_key === state.key)) {
      list.unshift({ conversation_key: state.key, entry_count: 0, latest_summary: '' });
    }
    for (const c of list) {
      const li = document.createElement('li');
      li.className = 'conversation' + (c.conversation_key === state.key ? ' active' : '');
      li.dataset.key = c.conversation_key;
      const title = document.createElement('div');
      title.className = 'title';
      title.textContent = c.conversation_key;
      const meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = (c.latest_summary || 'empty') + (c.latest_ts ? ' · ' + when(c.latest_ts) : '');
      li.append(title, meta);
      li.addEventListener('click', () => switchTo(c.conversation_key));
      ul.appendChild(li);
    }
  }

  $('new-conversation').addEventListener('click', async () => {
    try {
      const c = await api('POST', '/api/conversation', {});
      await switchTo(c.conversation_key);
      loadConversations();
    } catch (e) { showError(e.message); }
  });

  $('delete-conversation').addEventListener('click', async () => {
    if (!confirm('Delete conversation ' + state.key + '? Its history and session are removed.')) return;
    try {
      await api('DELETE', '/api/conversation', { conversation_key: state.key });
      await switchTo('web-default');
      loadConversations();
    } catch (e) { showError(e.message); }
  });

  // ---- transcript ----
  function entryElement(e) {
    const type = e.type || 'reply';
    const role = type === 'user' ? 'user' : (type === 'error' ? 'error' : (type === 'notice' ? 'notice' : 'assistant'));
    const div = document.createElement('div');
    div.className = 'msg ' + role;
    div.dataset.seq = e.seq;
    div.dataset.type = type;
    const body = document.createElement('div');
    body.className = 'body';
    if (role === 'user') body.textContent = e.text || '';
    else body.appendChild(PartyMarkdown.render(e.text || ''));
    div.appendChild(body);
    const files = (e.images || []).concat(e.attachments || []);
    if (files.length) {
      const box = document.createElement('div');
      box.className = 'files';
      for (const ref of files) {
        if (ref.kind === 'image') {
          const a = document.createElement('a');
          a.href = attachmentUrl(ref); a.target = '_blank'; a.rel = 'noopener';
          const img = document.createElement('img');
          img.src = attachmentUrl(ref); img.alt = ref.caption || ref.path; img.loading = 'lazy';
          a.appendChild(img); box.appendChild(a);
        } else {
          const a = document.createElement('a');
          a.className = 'file';
          a.href = attachmentUrl(ref); a.target = '_blank'; a.rel = 'noopener';
          a.textContent = '📎 ' + (ref.caption || ref.path);
          box.appendChild(a);
        }
      }
      div.appendChild(box);
    }
    if (e.options && e.options.length) {
      const opts = document.createElement('div');
      opts.className = 'options';
      for (const o of e.options) {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = o.label;
        b.addEventListener('click', () => send(o.value));
        opts.appendChild(b);
      }
      div.appendChild(opts);
    }
    const meta = document.createElement('div');
    meta.className = 'meta';
    meta.textContent = when(e.ts) + (type !== 'user' && type !== 'reply' ? ' · ' + type : '');
    div.appendChild(meta);
    return div;
  }

  function nearBottom() {
    const t = $('transcript');
    return t.scrollHeight - t.scrollTop - t.clientHeight < 80;
  }

  function scrollToBottom() {
    const t = $('transcript');
    t.scrollTop = t.scrollHeight;
  }

  // Inserts entries at their place by seq (they may arrive out of order: a page and a live event).
  function place(e) {
    if (state.rendered.has(e.seq)) return;
    const node = entryElement(e);
    state.rendered.set(e.seq, node);
    const list = $('entries');
    let before = null;
    for (const child of list.children) {
      if (Number(child.dataset.seq) > e.seq) { before = child; break; }
    }
    list.insertBefore(node, before);
  }

  async function loadPage() {
    const key = state.key;
    const page = await api('GET', '/api/transcript?' + new URLSearchParams({
      conversation_key: key, offset: String(state.offset), limit: String(PAGE) }).toString());
    if (key !== state.key) return;
    state.offset += page.entries.length;
    state.hasMore = page.has_more;
    $('older').classList.toggle('hidden', !state.hasMore);
    if (!page.entries.length) return;
    const seqs = page.entries.map((s) => s.seq);
    const detail = await api('GET', '/api/transcript/detail?' + new URLSearchParams({
      conversation_key: key, seq_start: String(Math.min(...seqs)), seq_end: String(Math.max(...seqs)) }).toString());
    if (key !== state.key) return;
    const t = $('transcript');
    const fromBottom = t.scrollHeight - t.scrollTop;
    detail.entries.forEach(place);
    t.scrollTop = t.scrollHeight - fromBottom; // older entries appear above without moving what is on screen
  }

  $('transcript').addEventListener('scroll', async () => {
    if ($('transcript').scrollTop > 40 || !state.hasMore || state.loadingOlder) return;
    state.loadingOlder = true;
    try { await loadPage(); } catch (e) { /* shown on the next attempt */ } finally { state.loadingOlder = false; }
  });

  async function switchTo(key) {
    state.key = key;
    localStorage.setItem(CONVERSATION_KEY, key);
    const url = new URL(location.href);
    url.searchParams.set('conversation', key);
    history.replaceState(null, '', url.toString());
    $('conversation-title').textContent = key;
    $('entries').textContent = '';
    state.rendered.clear();
    state.offset = 0;
    state.hasMore = false;
    clearStreaming();
    setProgress(null);
    document.querySelectorAll('#conversations .conversation').forEach((li) =>
      li.classList.toggle('active', li.dataset.key === key));
    try {
      await loadPage();
      scrollToBottom();
    } catch (e) { if (!(e instanceof Unauthorized)) showError(e.message); }
  }

  // ---- streaming ----
  function clearStreaming() {
    if (state.streaming && state.streaming.el) state.streaming.el.remove();
    state.streaming = null;
  }

  function onDelta(ev) {
    if (state.finishedTurns.has(ev.turn_id)) return; // a late delta of a turn already answered
    const turnKey = ev.turn_id + '#' + ev.round + '#' + ev.attempt;
    const stick = nearBottom();
    if (!state.streaming || state.streaming.turnKey !== turnKey) {
      if (!state.streaming) {
        const div = document.createElement('div');
        div.className = 'msg assistant streaming';
        const body = document.createElement('div');
        body.className = 'body';
        div.appendChild(body);
        $('entries').after(div);
        state.streaming = { turnKey, text: '', el: div, scheduled: false };
      }
      state.streaming.turnKey = turnKey;
      state.streaming.text = ''; // a new round or a retry starts its text afresh
    }
    state.streaming.text += ev.text;
    if (!state.streaming.scheduled) {
      state.streaming.scheduled = true;
      requestAnimationFrame(() => {
        const s = state.streaming;
        if (!s) return;
        s.scheduled = false;
        const body = s.el.querySelector('.body');
        body.textContent = '';
        body.appendChild(PartyMarkdown.render(s.text.replace(/<attachment>[\s\S]*?(<\/attachment>|$)/g, '')));
        if (stick) scrollToBottom();
      });
    }
  }

  function setProgress(text) {
    const p = $('progress');
    if (!text) { p.classList.add('hidden'); p.textContent = ''; return; }
    p.textContent = text;
    p.classList.remove('hidden');
  }

  // ---- WebSocket ----
  function setConnection(online) {
    const c = $('connection');
    c.textContent = online ? 'online' : 'offline';
    c.className = online ? 'online' : 'offline';
  }

  function connect() {
    const generation = ++state.wsGeneration;
    const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
    state.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: state.token }));
    ws.onmessage = (m) => {
      let ev;
      try { ev = JSON.parse(m.data); } catch (e) { return; }
      if (ev.type === 'auth_ok') {
        setConnection(true);
        // whatever happened while offline: reload the page of the current conversation
        if (state.reconnected) { switchTo(state.key); loadConversations(); }
        state.reconnected = true;
        return;
      }
      onEvent(ev);
    };
    ws.onclose = () => {
      if (generation !== state.wsGeneration) return;
      setConnection(false);
      state.ws = null;
      setTimeout(() => { if (generation === state.wsGeneration && state.token) connect(); }, RECONNECT_MS);
    };
  }

  function onEvent(ev) {
    const mine = ev.conversation_key === state.key;
    switch (ev.type) {
      case 'transcript_append': {
        refreshSidebarSoon();
        if (!mine) return;
        const stick = nearBottom();
        if (ev.entry.type !== 'user') clearStreaming();
        place(ev.entry);
        state.offset += 1;
        if (stick || ev.entry.type === 'user') scrollToBottom();
        return;
      }
      case 'outgoing_message':
        if (mine) clearStreaming();
        return;
      case 'delta':
        if (mine) onDelta(ev);
        return;
      case 'processing':
        if (mine) $('transcript').classList.toggle('typing', ev.state === 'typing');
        return;
      case 'progress':
        if (ev.final_state) {
          state.finishedTurns.add(ev.turn_id);
          if (mine) setProgress(null);
        } else if (mine) {
          setProgress(ev.text);
        }
        return;
      case 'conversation_deleted':
        refreshSidebarSoon();
        if (mine) switchTo('web-default');
        return;
      default:
        return;
    }
  }

  // ---- composer ----
  function showError(message) {
    const e = $('send-error');
    e.textContent = message;
    e.classList.remove('hidden');
    setTimeout(() => e.classList.add('hidden'), 8000);
  }

  async function send(text) {
    const t = (text || '').trim();
    if (!t) return false;
    try {
      await api('POST', '/api/send', { text: t, conversation_key: state.key });
      return true;
    } catch (e) {
      if (!(e instanceof Unauthorized)) showError('Not sent: ' + e.message);
      return false;
    }
  }

  const composer = $('composer');
  composer.addEventListener('compositionstart', () => { state.composing = true; });
  composer.addEventListener('compositionend', () => { state.composing = false; });
  composer.addEventListener('keydown', (e) => {
    // Enter while an IME is composing confirms the candidate; it must not send.
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || state.composing || e.keyCode === 229) return;
    e.preventDefault();
    $('composer-form').requestSubmit();
  });
  $('composer-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = composer.value;
    if (!text.trim()) return;
    composer.disabled = true;
    if (await send(text)) composer.value = '';
    composer.disabled = false;
    composer.focus();
  });

  // ---- start ----
  async function start() {
    state.reconnected = false;
    await switchTo(state.key);
    loadConversations();
    connect();
  }

  state.key = initialKey();
  if (!state.token) askToken(); else start();
})();

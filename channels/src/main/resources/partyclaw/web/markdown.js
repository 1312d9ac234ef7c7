// Safe Markdown for model output: the text is parsed here and the page is built with createElement and
// textContent only, never innerHTML, so nothing in a reply can become markup or script. Links keep only
// http(s) and mailto targets.
(function (global) {
  'use strict';

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function safeHref(url) {
    const u = url.trim();
    return /^(https?:\/\/|mailto:)/i.test(u) ? u : null;
  }

  // Inline: `code`, **bold**, __bold__, *em*, _em_, ~~strike~~, [text](url), bare http(s) URLs.
  function inline(text, parent) {
    let i = 0;
    let plain = '';
    const flush = () => {
      if (plain) { parent.appendChild(document.createTextNode(plain)); plain = ''; }
    };
    while (i < text.length) {
      const rest = text.slice(i);
      let m;
      if (rest[0] === '\\' && rest.length > 1 && /[\\`*_~\[\]()#>|-]/.test(rest[1])) {
        plain += rest[1]; i += 2; continue;
      }
      if ((m = /^(`+)([\s\S]*?[^`])\1(?!`)/.exec(rest))) {
        flush(); parent.appendChild(el('code', null, m[2].trim() || m[2])); i += m[0].length; continue;
      }
      if ((m = /^\*\*(?=\S)([\s\S]*?\S)\*\*/.exec(rest)) || (m = /^__(?=\S)([\s\S]*?\S)__(?!\w)/.exec(rest))) {
        flush(); const b = el('strong'); inline(m[1], b); parent.appendChild(b); i += m[0].length; continue;
      }
      if ((m = /^~~(?=\S)([\s\S]*?\S)~~/.exec(rest))) {
        flush(); const s = el('del'); inline(m[1], s); parent.appendChild(s); i += m[0].length; continue;
      }
      if ((m = /^\*(?=[^\s*])([\s\S]*?[^\s*])\*(?!\*)/.exec(rest)) ||
          ((i === 0 || /\W/.test(text[i - 1])) && (m = /^_(?=[^\s_])([\s\S]*?[^\s_])_(?!\w)/.exec(rest)))) {
        flush(); const em = el('em'); inline(m[1], em); parent.appendChild(em); i += m[0].length; continue;
      }
      if ((m = /^\[([^\]\n]+)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/.exec(rest))) {
        flush();
        const href = safeHref(m[2]);
        if (href) {
          const a = el('a'); a.href = href; a.target = '_blank'; a.rel = 'noopener noreferrer nofollow';
          inline(m[1], a); parent.appendChild(a);
        } else {
          parent.appendChild(document.createTextNode(m[0]));
        }
        i += m[0].length; continue;
      }
      if ((i === 0 || /[\s(]/.test(text[i - 1])) && (m = /^https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]/.exec(rest))) {
        flush();
        const a = el('a', null, m[0]); a.href = m[0]; a.target = '_blank'; a.rel = 'noopener noreferrer nofollow';
        parent.appendChild(a); i += m[0].length; continue;
      }
      if (rest[0] === '\n') { flush(); parent.appendChild(el('br')); i += 1; continue; }
      plain += rest[0]; i += 1;
    }
    flush();
  }

  const FENCE = /^ {0,3}(```+|~~~+)\s*([\w+#.-]*)\s*$/;
  const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
  const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
  const QUOTE = /^ {0,3}>\s?(.*)$/;
  const BULLET = /^(\s*)([-*+])\s+(.*)$/;
  const ORDERED = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;
  const TABLE_SEP = /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/;

  function cells(line) {
    let l = line.trim();
    if (l.startsWith('|')) l = l.slice(1);
    if (l.endsWith('|') && !l.endsWith('\\|')) l = l.slice(0, -1);
    return l.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
  }

  function blocks(lines, parent) {
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      let m;
      if (!line.trim()) { i++; continue; }
      if ((m = FENCE.exec(line))) {
        const fence = m[1];
        const code = [];
        i++;
        while (i < lines.length && !lines[i].trim().startsWith(fence)) code.push(lines[i++]);
        i++;
        const pre = el('pre');
        const c = el('code', null, code.join('\n'));
        if (m[2]) c.dataset.lang = m[2];
        pre.appendChild(c);
        parent.appendChild(pre);
        continue;
      }
      if ((m = HEADING.exec(line))) {
        const h = el('h' + Math.min(6, m[1].length + 2));
        inline(m[2], h); parent.appendChild(h); i++; continue;
      }
      if (RULE.test(line)) { parent.appendChild(el('hr')); i++; continue; }
      if (QUOTE.test(line)) {
        const inner = [];
        while (i < lines.length && (m = QUOTE.exec(lines[i]))) { inner.push(m[1]); i++; }
        const q = el('blockquote'); blocks(inner, q); parent.appendChild(q); continue;
      }
      if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1]) && lines[i + 1].includes('-')) {
        const table = el('table');
        const head = el('thead');
        const tr = el('tr');
        cells(line).forEach((c) => { const th = el('th'); inline(c, th); tr.appendChild(th); });
        head.appendChild(tr); table.appendChild(head);
        const body = el('tbody');
        i += 2;
        while (i < lines.length && lines[i].trim() && lines[i].includes('|')) {
          const row = el('tr');
          cells(lines[i]).forEach((c) => { const td = el('td'); inline(c, td); row.appendChild(td); });
          body.appendChild(row); i++;
        }
        table.appendChild(body);
        const wrap = el('div', 'table-wrap'); wrap.appendChild(table); parent.appendChild(wrap);
        continue;
      }
      if (BULLET.test(line) || ORDERED.test(line)) {
        const ordered = !BULLET.test(line);
        const list = el(ordered ? 'ol' : 'ul');
        if (ordered) list.start = parseInt(ORDERED.exec(line)[2], 10);
        const re = ordered ? ORDERED : BULLET;
        const baseIndent = re.exec(line)[1].length;
        while (i < lines.length) {
          const lm = re.exec(lines[i]);
          if (!lm || lm[1].length !== baseIndent) break;
          const item = [lm[3]];
          i++;
          // continuation and nested lines: indented deeper than the marker
          while (i < lines.length && lines[i].trim() && /^\s+/.test(lines[i]) &&
                 (lines[i].match(/^\s*/)[0].length > baseIndent)) {
            item.push(lines[i].slice(Math.min(lines[i].match(/^\s*/)[0].length, baseIndent + 2)));
            i++;
          }
          const li = el('li');
          let first = item[0];
          const task = /^\[([ xX])\]\s+(.*)$/.exec(first);
          if (task) {
            li.className = 'task';
            li.appendChild(document.createTextNode(task[1] === ' ' ? '☐ ' : '☑ '));
            first = task[2];
          }
          if (item.length === 1) inline(first, li);
          else blocks([first].concat(item.slice(1)), li);
          list.appendChild(li);
        }
        parent.appendChild(list);
        continue;
      }
      const para = [];
      while (i < lines.length && lines[i].trim() && !FENCE.test(lines[i]) && !HEADING.test(lines[i]) &&
             !QUOTE.test(lines[i]) && !(para.length && (BULLET.test(lines[i]) || ORDERED.test(lines[i]))) &&
             !RULE.test(lines[i])) {
        para.push(lines[i]); i++;
      }
      if (!para.length) { para.push(lines[i]); i++; }
      const p = el('p'); inline(para.join('\n'), p); parent.appendChild(p);
    }
  }

  function render(text) {
    const frag = document.createDocumentFragment();
    blocks(String(text || '').replace(/\r\n?/g, '\n').split('\n'), frag);
    return frag;
  }

  global.PartyMarkdown = { render: render };
})(window);

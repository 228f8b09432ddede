// The review desk's page: queue, page images with the words each value came from, the form.
// Plain script, no framework: it is compiled into the sohoa binary and must work offline.
'use strict';

const REASONS = {
  no_text: 'Không đọc được chữ nào trong văn bản',
  page_error: 'Có trang không đọc được',
  text_unreadable: 'Chất lượng nhận dạng chữ của trang quá thấp',
  type_unknown: 'Loại văn bản không có trong danh mục',
  type_unidentified: 'Không có tiêu đề hay ký hiệu nào cho biết loại văn bản',
  type_disagreement: 'Tiêu đề và mô hình phân loại cho ra hai loại khác nhau',
  type_low_confidence: 'Độ tin cậy phân loại thấp',
  field_missing: 'Thiếu trường bắt buộc',
  field_unreadable: 'Phần viết tay của trường không đọc được',
  field_invalid: 'Giá trị không hợp lệ',
  field_low_confidence: 'Chữ của giá trị được nhận dạng với độ tin cậy thấp',
  fields_disagree: 'Hai trường mâu thuẫn nhau',
  sources_disagree: 'Hai nguồn (mã QR và chữ in) cho giá trị khác nhau',
  signature_invalid: 'Chữ ký số không hợp lệ',
  signature_untrusted: 'Chứng thư của người ký không được tin cậy',
  pages_regrouped: 'Các trang đã được chia lại: kiểm tra lại loại và thông tin',
  low_confidence: 'Độ tin cậy chung của bản ghi thấp',
};
const STATUS = { approved: 'đã duyệt', rejected: 'đã từ chối' };

const $ = (id) => document.getElementById(id);
const S = {
  cat: null, queue: [], filtered: [], current: null, rec: null, etag: null, textPages: [],
  pageIdx: 0, zoom: 1, panX: 0, panY: 0, renderDpi: 110, undo: [], focusField: null, saving: false,
  user: '', token: null, opening: 0,
};

function fold(s) { return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase(); }
function esc(s) { return String(s == null ? '' : s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c])); }
function typeName(code) { const t = S.cat && S.cat.types.find((x) => x.code === code); return t ? t.name : code; }
function fieldName(k) { return S.cat && S.cat.fields[k] ? S.cat.fields[k].name : k; }

async function api(path, body) {
  const opt = body === undefined ? {} : { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  const r = await fetch(path, opt);
  let j = null;
  try { j = await r.json(); } catch (e) { j = { error: 'HTTP ' + r.status }; }
  return { status: r.status, body: j };
}

function banner(text, kind) {
  const b = $('banner');
  if (!text) { b.hidden = true; return; }
  b.hidden = false; b.className = kind || ''; b.textContent = text;
}

// ---------- queue ----------
async function loadQueue() {
  const q = (await api('/api/queue')).body;
  S.queue = q.items;
  $('progress-text').textContent = `Đã xử lý ${q.done}/${q.needing} bản ghi cần người xem · ${q.total} bản ghi trong lô`;
  $('progress-bar').style.width = (q.needing ? (100 * q.done / q.needing) : 100) + '%';
  fillFilters();
  applyFilters();
}

function fillFilters() {
  const count = (key) => {
    const m = new Map();
    for (const it of S.queue) for (const v of key(it)) m.set(v, (m.get(v) || 0) + 1);
    return [...m.entries()].sort();
  };
  const fill = (sel, all, entries, label) => {
    const keep = sel.value;
    sel.innerHTML = `<option value="">${all} (${S.queue.length})</option>` +
      entries.map(([v, n]) => `<option value="${esc(v)}">${esc(label(v))} (${n})</option>`).join('');
    sel.value = [...sel.options].some((o) => o.value === keep) ? keep : '';
  };
  fill($('f-dossier'), 'Mọi hồ sơ', count((it) => [it.dossier || '—']), (v) => v);
  fill($('f-type'), 'Mọi loại', count((it) => [it.doc_type]), typeName);
  fill($('f-reason'), 'Mọi lý do', count((it) => [...new Set(it.reasons.map((r) => r.code))]), (v) => REASONS[v] || v);
}

function applyFilters() {
  const d = $('f-dossier').value, t = $('f-type').value, r = $('f-reason').value, st = $('f-status').value;
  S.filtered = S.queue.filter((it) => (!d || (it.dossier || '—') === d) && (!t || it.doc_type === t) &&
    (!r || it.reasons.some((x) => x.code === r)) &&
    (st === '' || (st === 'open' ? !it.status : !!it.status)));
  const ol = $('queue-list');
  ol.innerHTML = S.filtered.map((it) => `<li data-id="${it.id}" class="${it.status || ''}${S.current === it.id ? ' current' : ''}">
    <div class="t">${esc(it.type_name)}</div><div class="s">${esc(it.dossier || '—')} · ${esc(it.name || '')}
    · ${Math.round(it.confidence * 100)}%${it.review ? ' · ⚑' : ''}</div></li>`).join('');
  if (!S.filtered.length) ol.innerHTML = '<li class="s">Không còn bản ghi nào cần xem với bộ lọc này.</li>';
}

function step(delta) {
  const list = S.filtered.length ? S.filtered : S.queue;
  if (!list.length) return;
  let i = list.findIndex((it) => it.id === S.current);
  i = i < 0 ? 0 : Math.max(0, Math.min(list.length - 1, i + delta));
  openRecord(list[i].id);
}

// ---------- record ----------
async function openRecord(id) {
  if (S.current && pendingChanges().length && !confirm('Có thay đổi chưa lưu. Bỏ qua?')) return;
  // Answers can arrive out of order (Alt+N held down): only the record asked for last is shown,
  // else an earlier one could land after it and the next correction would go to the wrong record.
  const ticket = ++S.opening;
  const r = await api('/api/records/' + encodeURIComponent(id) + '?user=' + encodeURIComponent(S.user));
  if (ticket !== S.opening) return;
  if (r.status !== 200) { banner(r.body.error, 'error'); return; }
  S.current = id; S.rec = r.body.record; S.etag = r.body.etag; S.textPages = r.body.text_pages; S.undo = []; S.turns = {};
  S.pdfPages = S.rec.pages.map((p, i) => ({ p, i })).filter((x) => !x.p.blank && !x.p.error);
  S.pageIdx = 0;
  for (const li of $('queue-list').children) li.classList.toggle('current', li.dataset.id === id);
  const cur = $('queue-list').querySelector('.current');
  if (cur) cur.scrollIntoView({ block: 'nearest' });
  banner(null);
  renderHead(r.body.others);
  renderForm();
  renderAudit(r.body.audit);
  renderThumbs();
  S.focusField = firstDoubtfulField();  // its words are shown first, outlined and zoomed to
  showPage(firstEvidencePage());
  presence();
  setTimeout(() => focusField(firstDoubtfulField()), 0);
}

function renderHead(others) {
  const rec = S.rec, src = rec.source, st = rec.desk && rec.desk.status;
  $('rec-head').innerHTML = `<b>${esc(typeName(rec.doc_type))}</b> · ${esc(src.dossier || '—')} · ${esc(src.path)}${src.member ? '!' + esc(src.member) : ''}
    tr. ${src.pages[0]}–${src.pages[1]} · tin cậy ${Math.round(rec.confidence * 100)}%${st ? ' · <b>' + STATUS[st] + '</b>' : ''}`;
  $('reasons').innerHTML = (rec.review_reasons || []).map((x) =>
    `<li>${esc(REASONS[x.code] || x.code)}${x.field ? ' — <b>' + esc(fieldName(x.field)) + '</b>' : ''}<br><small>${esc(x.detail || '')}</small></li>`).join('') ||
    (rec.confidence < 0.7 ? `<li>${REASONS.low_confidence}</li>` : '');
  if (others && others.length) banner('Bản ghi này đang được mở bởi: ' + others.join(', ') + '. Thay đổi của người lưu sau sẽ bị từ chối nếu người kia lưu trước.');
}

function metaKeys() {
  const t = S.cat.types.find((x) => x.code === S.rec.doc_type) || { required: [], optional: [] };
  const seen = new Set(), keys = [];
  const add = (k) => { if (!seen.has(k) && S.cat.fields[k]) { seen.add(k); keys.push(k); } };
  t.required.forEach(add); t.optional.forEach(add);
  for (const [k, v] of Object.entries(S.rec.metadata)) if (typeof v === 'string') add(k);
  // The office's list and stamp fields where the record has them.
  if (Array.isArray(S.rec.metadata.noi_nhan)) add('noi_nhan');
  if (S.rec.metadata.van_ban_den) { add('van_ban_den.so_den'); add('van_ban_den.ngay_den'); }
  ['so_ky_hieu', 'ngay_ban_hanh', 'co_quan_ban_hanh', 'ho_ten', 'so_dinh_danh', 'ngay_sinh', 'trich_yeu'].forEach(add);
  return { keys, required: new Set(t.required) };
}

function renderForm() {
  const rec = S.rec;
  $('in-doc_type').value = typeName(rec.doc_type);
  $('in-doc_type').dataset.code = rec.doc_type;
  $('in-doc_type').dataset.orig = rec.doc_type;
  $('in-class').value = rec.class;
  $('in-class').dataset.orig = rec.class;
  $('in-doc_type').dataset.last = rec.doc_type;
  $('in-class').dataset.last = rec.class;
  $('in-why').value = '';
  S.formGen = (S.formGen || 0) + 1;  // answers to checks asked for the previous form are dropped
  for (const id of ['row-doc_type', 'row-class']) $(id).classList.remove('changed', 'invalid', 'valid');
  $('msg-doc_type').textContent = '';
  const { keys, required } = metaKeys();
  const doubt = new Set((rec.review_reasons || []).map((x) => x.field).filter(Boolean));
  $('meta-fields').innerHTML = keys.map((k, i) => {
    const v = metaValue(k);
    const n = i + 3;
    return `<div class="field${required.has(k) ? ' required' : ''}" id="row-${k}" data-key="${k}">
      <label for="in-${k}">${n <= 9 ? '<kbd>' + n + '</kbd> ' : ''}${esc(fieldName(k))}${doubt.has(k) ? ' ⚑' : ''}</label>
      ${k === 'noi_nhan'
    ? `<textarea id="in-${k}" data-key="${k}" data-orig="${esc(v || '')}" rows="3" spellcheck="false">${esc(v || '')}</textarea>`
    : `<input id="in-${k}" data-key="${k}" data-orig="${esc(v || '')}" value="${esc(v || '')}" spellcheck="false">`}
      <div class="msg" id="msg-${k}"></div></div>`;
  }).join('');
  for (const inp of $('meta-fields').querySelectorAll('input, textarea')) {
    inp.addEventListener('focus', () => { S.focusField = inp.dataset.key; showPage(evidencePage(inp.dataset.key)); drawBoxes(); });
    inp.addEventListener('input', () => { markChanged(inp); validateSoon(inp); });
    inp.addEventListener('change', () => pushUndo(inp));
    inp.dataset.last = inp.value;
  }
}

function fieldOrder() { return ['doc_type', 'class', ...[...$('meta-fields').querySelectorAll('input, textarea')].map((i) => i.dataset.key)]; }
// A field's value as the form shows it: noi_nhan one recipient a line, van_ban_den.* from its object.
function metaValue(k) {
  const md = S.rec.metadata;
  if (k === 'noi_nhan') return Array.isArray(md.noi_nhan) ? md.noi_nhan.join('\n') : '';
  if (k.startsWith('van_ban_den.')) return (md.van_ban_den || {})[k.slice(12)] || '';
  return md[k];
}
function focusField(key) {
  const el = key && $('in-' + key);
  if (el) { el.focus(); if (el.select) el.select(); }
}
function firstDoubtfulField() {
  for (const x of S.rec.review_reasons || []) if (x.field && $('in-' + x.field)) return x.field;
  if ((S.rec.review_reasons || []).some((x) => x.code.startsWith('type_'))) return 'doc_type';
  return fieldOrder()[2] || 'doc_type';
}

function markChanged(el) {
  const row = el.closest('.field');
  const v = el.id === 'in-doc_type' ? el.dataset.code : el.value;
  row.classList.toggle('changed', v !== el.dataset.orig);
}
function pushUndo(el) {
  const before = el.dataset.last, after = el.id === 'in-doc_type' ? el.dataset.code : el.value;
  if (before === after) return;
  S.undo.push({ id: el.id, before, after });
  el.dataset.last = after;
}
function undo() {
  // A field still being typed in has not fired 'change' yet: its edit is the last one.
  const a = document.activeElement;
  if (a && a.dataset && a.dataset.key) pushUndo(a);
  const u = S.undo.pop();
  if (!u) return;
  const el = $(u.id);
  if (u.id === 'in-doc_type') { el.dataset.code = u.before; el.value = typeName(u.before); } else el.value = u.before;
  el.dataset.last = u.before;
  markChanged(el);
  if (el.dataset.key) validateNow(el);
  el.focus();
}

let vtimer = null;
function validateSoon(el) { clearTimeout(vtimer); vtimer = setTimeout(() => validateNow(el), 120); }
async function validateNow(el) {
  const key = el.dataset.key, value = el.value.normalize('NFC'), gen = S.formGen;
  const r = await api('/api/validate', { doc_type: $('in-doc_type').dataset.code, field: key, value });
  if (gen !== S.formGen || el.value.normalize('NFC') !== value) return;  // another record, or typed on since
  const row = $('row-' + key), msg = $('msg-' + key);
  row.classList.toggle('invalid', !r.body.ok);
  row.classList.toggle('valid', r.body.ok && value !== el.dataset.orig);
  msg.textContent = r.body.ok ? (value !== el.dataset.orig && value ? 'hợp lệ' : '') : r.body.problem;
}

function pendingChanges() {
  if (!S.rec) return [];
  const out = [];
  const t = $('in-doc_type').dataset.code;
  if (t !== $('in-doc_type').dataset.orig) out.push({ field: 'doc_type', value: t });
  if ($('in-class').value !== $('in-class').dataset.orig) out.push({ field: 'class', value: $('in-class').value });
  for (const inp of $('meta-fields').querySelectorAll('input, textarea')) {
    const v = inp.value.normalize('NFC').trim();
    if (v !== inp.dataset.orig) out.push({ field: 'metadata.' + inp.dataset.key, value: v === '' ? null : v });
  }
  for (const [k, deg] of Object.entries(S.turns || {})) if (deg) out.push({ field: `pages.${k}.rotate`, value: String(deg) });
  return out;
}

async function save(action) {
  if (!S.rec || S.saving) return;
  const changes = pendingChanges();
  if (!changes.length && !action) { banner('Không có gì thay đổi.', 'ok'); return; }
  S.saving = true;
  const t0 = performance.now();
  const r = await api('/api/records/' + encodeURIComponent(S.current) + '/edit',
    { base: S.etag, user: S.user, why: $('in-why').value.normalize('NFC'), changes, action: action || '' });
  S.saving = false;
  window.lastSaveMs = performance.now() - t0;
  if (r.status === 200) {
    const id = S.current;
    const item = S.queue.find((x) => x.id === id);
    if (item) { item.doc_type = r.body.record.doc_type; item.type_name = typeName(item.doc_type); item.status = r.body.record.desk.status; item.name = r.body.record.metadata.ho_ten; }
    S.rec = null;  // saved: nothing pending
    await loadQueue();
    const list = S.filtered.length ? S.filtered : S.queue;
    const next = action ? list.find((x) => !x.status && x.id !== id) : null;
    await openRecord(next ? next.id : id);
    const said = action === 'approve' ? 'Đã duyệt' : action === 'reject' ? 'Đã từ chối' : 'Đã lưu';
    banner(next ? said + ' bản ghi trước.' : said + '.' + (action && !next ? ' Không còn bản ghi nào chưa duyệt.' : ''), 'ok');
    window.savedCount = (window.savedCount || 0) + 1;  // tests wait on it: the next screen is ready
    return;
  }
  if (r.status === 409) { banner('Người khác vừa lưu bản ghi này: thay đổi của bạn CHƯA được lưu. Bấm Alt+L để tải lại bản mới nhất rồi sửa lại.', 'error'); return; }
  if (r.status === 422 && r.body.details) {
    for (const [k, why] of Object.entries(r.body.details)) {
      const row = $('row-' + k), msg = $('msg-' + k);
      if (row) row.classList.add('invalid');
      if (msg) msg.textContent = why;
    }
  }
  banner('Chưa lưu: ' + r.body.error, 'error');
}

// Split corrections: pages regrouped with the neighbouring document of the same file. The
// records get new ids (they name the page range), so the queue is loaded again.
async function regroup(action) {
  if (!S.rec || S.saving) return;
  if (pendingChanges().length) { banner('Hãy lưu (Ctrl+S) hoặc hoàn tác các thay đổi trước khi chia lại trang.', 'error'); return; }
  const body = { base: S.etag, user: S.user, why: $('in-why').value.normalize('NFC'), action };
  if (action === 'split') {
    if (!S.pdfPages.length) return;
    body.page = S.pdfPages[S.pageIdx].p.number;  // cut before the page on screen
  }
  S.saving = true;
  const r = await api('/api/records/' + encodeURIComponent(S.current) + '/pages', body);
  S.saving = false;
  if (r.status !== 200) {
    const why = r.body.details ? Object.values(r.body.details).join('; ') : r.body.error;
    banner('Chưa chia lại: ' + why, 'error');
    return;
  }
  S.rec = null;
  await loadQueue();
  await openRecord(r.body.focus);
  const said = { move_next: 'Đã chuyển trang cuối sang văn bản sau', move_previous: 'Đã chuyển trang đầu sang văn bản trước',
    split: 'Đã tách văn bản', join: 'Đã gộp với văn bản sau' }[action];
  banner(said + ' (' + r.body.added.join(', ') + ').', 'ok');
  window.savedCount = (window.savedCount || 0) + 1;
}

function renderAudit(list) {
  $('audit').innerHTML = (list || []).map((e) => `<li>${esc(e.when)} · <b>${esc(e.who)}</b> · ${
    e.action === 'edit' ? esc(fieldName((e.field || '').replace('metadata.', ''))) + ': ' + esc(JSON.stringify(e.before)) + ' → ' + esc(JSON.stringify(e.after)) :
      esc(STATUS[e.after] || e.action)}${e.why ? ' · ' + esc(e.why) : ''}</li>`).join('') || '<li>Chưa có thay đổi.</li>';
}

let ptimer = null;
async function presence() {
  clearTimeout(ptimer);
  if (!S.current) return;
  const r = await api('/api/records/' + encodeURIComponent(S.current) + '/presence', { user: S.user });
  if (r.status === 200 && r.body.others.length && $('banner').hidden)
    banner('Bản ghi này đang được mở bởi: ' + r.body.others.join(', '));
  ptimer = setTimeout(presence, 20000);
}

// ---------- doc type picker ----------
let typeHl = 0;
function typeMatches(q) {
  const f = fold(q).trim();
  const all = S.cat.types;
  if (!f) return all;
  const words = f.split(/\s+/);
  return all.filter((t) => words.every((w) => fold(t.name + ' ' + t.code.replace(/_/g, ' ')).includes(w)));
}
function showTypes() {
  const list = typeMatches($('in-doc_type').value);
  const ol = $('type-list');
  typeHl = Math.min(typeHl, Math.max(0, list.length - 1));
  ol.innerHTML = list.map((t, i) => `<li data-code="${t.code}" class="${i === typeHl ? 'hl' : ''}">${esc(t.name)} <small>${t.code}</small></li>`).join('');
  ol.hidden = !list.length;
}
function pickType(code) {
  const el = $('in-doc_type');
  el.dataset.code = code; el.value = typeName(code);
  $('type-list').hidden = true;
  const t = S.cat.types.find((x) => x.code === code);
  if (t && $('in-class').dataset.orig === $('in-class').value) $('in-class').value = t.class;
  markChanged(el); markChanged($('in-class'));
  pushUndo(el);
  $('msg-doc_type').textContent = code !== el.dataset.orig ? 'trước: ' + typeName(el.dataset.orig) : '';
  for (const inp of $('meta-fields').querySelectorAll('input, textarea')) validateNow(inp);
}

// ---------- pages ----------
function evidencePage(key) {
  const e = S.rec.metadata_evidence && S.rec.metadata_evidence[key];
  if (!e || !e.page) return S.pageIdx;
  const i = S.pdfPages.findIndex((x) => x.p.number === e.page);
  return i < 0 ? S.pageIdx : i;
}
function firstEvidencePage() { return evidencePage(firstDoubtfulField()); }
function renderThumbs() {
  $('thumbs').innerHTML = S.pdfPages.map((x, i) => `<img data-i="${i}" title="Trang ${x.p.number}" src="/api/records/${S.current}/pages/${i}.jpg?dpi=16">`).join('');
}
function showPage(i) {
  if (!S.pdfPages.length) { $('page-img').removeAttribute('src'); $('page-label').textContent = 'Không có ảnh trang'; return; }
  i = Math.max(0, Math.min(S.pdfPages.length - 1, i));
  const changed = i !== S.pageIdx || !$('page-img').src.includes('/' + S.current + '/');
  S.pageIdx = i;
  const pg = S.pdfPages[i].p;
  $('page-label').textContent = `Trang ${pg.number} (${i + 1}/${S.pdfPages.length})`;
  $('page-text').textContent = S.textPages[S.pdfPages[i].i] || '';
  for (const im of $('thumbs').children) im.classList.toggle('current', +im.dataset.i === i);
  if (changed) {
    const img = $('page-img');
    img.onload = () => { fit(); drawBoxes(); };
    img.src = `/api/records/${S.current}/pages/${i}.jpg?dpi=${S.renderDpi}`;
  } else drawBoxes();
}
function turnPage() {
  // Turned on saving (document.pdf's /Rotate); until then the picture shows what it will be.
  if (!S.rec || !S.pdfPages.length) return;
  const k = S.pdfPages[S.pageIdx].i;
  S.turns[k] = ((S.turns[k] || 0) + 90) % 360;
  $('page-img').style.transform = S.turns[k] ? `rotate(${S.turns[k]}deg)` : '';
  showPage(S.pageIdx);
}
function drawBoxes() {
  if (!S.rec || !S.pdfPages.length) return;
  const pg = S.pdfPages[S.pageIdx].p, scale = S.renderDpi / (pg.dpi || 300);
  const turn = (S.turns || {})[S.pdfPages[S.pageIdx].i] || 0;
  $('page-img').style.transform = turn ? `rotate(${turn}deg)` : '';
  if (turn || pg.desk_rotation) {
    // The words' boxes are measured on the page as recognised, not as turned at the desk.
    $('boxes').innerHTML = '';
    $('page-label').textContent += turn ? ` · sẽ xoay ${turn}° khi lưu` : ` · đã xoay ${pg.desk_rotation}° (không tô khung chữ)`;
    return;
  }
  let html = '';
  for (const [k, e] of Object.entries(S.rec.metadata_evidence || {})) {
    if (e.page !== pg.number || !e.boxes) continue;
    e.boxes.forEach(([x, y, w, h], j) => {
      html += `<div class="box${k === S.focusField ? ' focus' : ''}" data-key="${k}" style="left:${x * scale}px;top:${y * scale}px;width:${w * scale}px;height:${h * scale}px">${j ? '' : '<span>' + esc(fieldName(k)) + '</span>'}</div>`;
    });
  }
  $('boxes').innerHTML = html;
  const f = $('boxes').querySelector('.box.focus');
  if (f) centerOn(f);
}
function applyView() { $('sheet').style.transform = `translate(${S.panX}px,${S.panY}px) scale(${S.zoom})`; }
function fit() {
  const st = $('stage'), img = $('page-img');
  if (!img.naturalWidth) return;
  S.zoom = Math.min(st.clientWidth / img.naturalWidth, st.clientHeight / img.naturalHeight);
  S.panX = (st.clientWidth - img.naturalWidth * S.zoom) / 2; S.panY = 0;
  applyView();
}
function centerOn(box) {
  // Zoom to read the words a value came from, and bring them into the middle.
  const st = $('stage');
  S.zoom = Math.max(S.zoom, 1.1);
  const x = box.offsetLeft + box.offsetWidth / 2, y = box.offsetTop + box.offsetHeight / 2;
  S.panX = st.clientWidth / 2 - x * S.zoom; S.panY = st.clientHeight / 3 - y * S.zoom;
  applyView();
}
function zoomBy(f, cx, cy) {
  const st = $('stage');
  if (cx === undefined) { cx = st.clientWidth / 2; cy = st.clientHeight / 2; }
  const nz = Math.max(0.1, Math.min(8, S.zoom * f));
  S.panX = cx - (cx - S.panX) * nz / S.zoom; S.panY = cy - (cy - S.panY) * nz / S.zoom; S.zoom = nz;
  applyView();
}

// ---------- wiring ----------
function wire() {
  for (const id of ['f-dossier', 'f-type', 'f-reason', 'f-status']) $(id).addEventListener('change', applyFilters);
  $('queue-list').addEventListener('click', (e) => { const li = e.target.closest('li[data-id]'); if (li) openRecord(li.dataset.id); });
  $('thumbs').addEventListener('click', (e) => { if (e.target.dataset.i) showPage(+e.target.dataset.i); });
  $('btn-save').onclick = () => save('');
  $('btn-approve').onclick = () => save('approve');
  $('btn-reject').onclick = () => save('reject');
  $('btn-move-next').onclick = () => regroup('move_next');
  $('btn-move-prev').onclick = () => regroup('move_previous');
  $('btn-split').onclick = () => regroup('split');
  $('btn-join').onclick = () => regroup('join');
  $('help-btn').onclick = () => { $('help').hidden = !$('help').hidden; };
  $('clerk').addEventListener('change', () => { S.user = $('clerk').value.normalize('NFC').trim() || S.user; localStorage.setItem('sohoa-clerk', S.user); });
  const dt = $('in-doc_type');
  dt.addEventListener('focus', () => { S.focusField = null; typeHl = 0; dt.select(); showTypes(); });
  dt.addEventListener('input', () => { typeHl = 0; showTypes(); });
  dt.addEventListener('blur', () => setTimeout(() => { $('type-list').hidden = true; dt.value = typeName(dt.dataset.code); }, 150));
  dt.addEventListener('keydown', (e) => {
    const items = $('type-list').children;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { typeHl = Math.max(0, Math.min(items.length - 1, typeHl + (e.key === 'ArrowDown' ? 1 : -1))); showTypes(); e.preventDefault(); }
    else if (e.key === 'Enter' && !e.ctrlKey && items[typeHl]) { pickType(items[typeHl].dataset.code); e.preventDefault(); }
    else if (e.key === 'Escape') { dt.value = typeName(dt.dataset.code); $('type-list').hidden = true; }
  });
  $('type-list').addEventListener('mousedown', (e) => { const li = e.target.closest('li'); if (li) pickType(li.dataset.code); });
  $('in-class').addEventListener('change', () => { markChanged($('in-class')); pushUndo($('in-class')); });
  // Pan by dragging, zoom with the wheel around the pointer.
  const st = $('stage');
  let drag = null;
  st.addEventListener('pointerdown', (e) => { drag = { x: e.clientX - S.panX, y: e.clientY - S.panY }; st.classList.add('dragging'); st.setPointerCapture(e.pointerId); });
  st.addEventListener('pointermove', (e) => { if (drag) { S.panX = e.clientX - drag.x; S.panY = e.clientY - drag.y; applyView(); } });
  st.addEventListener('pointerup', () => { drag = null; st.classList.remove('dragging'); });
  st.addEventListener('wheel', (e) => { const r = st.getBoundingClientRect(); zoomBy(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top); e.preventDefault(); }, { passive: false });
  document.addEventListener('keydown', onKey, true);
}

function onKey(e) {
  const k = e.key;
  if (k === 'Escape' && !$('help').hidden) { $('help').hidden = true; return; }
  if (e.ctrlKey && (k === 'Enter')) { e.preventDefault(); save('approve'); return; }
  if (e.ctrlKey && (k === 's' || k === 'S')) { e.preventDefault(); save(''); return; }
  if (!e.altKey || e.ctrlKey) return;
  const code = e.code;  // layout-independent: Vietnamese input methods change e.key
  let done = true;
  if (code === 'ArrowDown' || code === 'KeyN') step(1);
  else if (code === 'ArrowUp' || code === 'KeyP') step(-1);
  else if (/^Digit[1-9]$/.test(code)) focusField(fieldOrder()[+code.slice(5) - 1]);
  else if (code === 'KeyT') focusField('doc_type');
  else if (code === 'KeyZ') undo();
  else if (code === 'KeyX') save('reject');
  else if (code === 'KeyL') { const id = S.current; S.rec = null; openRecord(id); }
  else if (code === 'KeyH') $('help').hidden = !$('help').hidden;
  else if (code === 'KeyR') turnPage();
  else if (code === 'BracketRight') regroup('move_next');
  else if (code === 'BracketLeft') regroup('move_previous');
  else if (code === 'KeyS') regroup('split');
  else if (code === 'KeyJ') regroup('join');
  else if (code === 'PageDown') showPage(S.pageIdx + 1);
  else if (code === 'PageUp') showPage(S.pageIdx - 1);
  else if (code === 'Equal' || code === 'NumpadAdd') zoomBy(1.25);
  else if (code === 'Minus' || code === 'NumpadSubtract') zoomBy(0.8);
  else if (code === 'Digit0') fit();
  else done = false;
  if (done) e.preventDefault();
}

async function main() {
  wire();
  const [sess, cat] = await Promise.all([api('/api/session'), api('/api/catalogue')]);
  if (sess.status === 401) { document.body.innerHTML = '<p style="padding:2em">Cần mã truy cập: hãy mở đúng địa chỉ mà <code>sohoa review</code> đã in ra.</p>'; return; }
  S.cat = cat.body;
  S.user = localStorage.getItem('sohoa-clerk') || sess.body.user;
  $('clerk').value = S.user;
  await loadQueue();
  if (S.filtered.length) await openRecord(S.filtered[0].id);
  window.deskReady = true;
}
main();

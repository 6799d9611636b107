// The mapping editor (/mappings/{name}): CodeMirror over the rules file, "run" and "save" through the admin API.
// Load errors are shown twice: in a list, and as a widget under the line they name, so the fix is next to the text.
(function () {
  'use strict';
  var root = document.getElementById('editor-root');
  if (!root) { return; }
  var name = root.dataset.name;
  var file = root.dataset.file;
  var token = root.querySelector('input[type=hidden]');
  var editor = CodeMirror.fromTextArea(document.getElementById('rules'), {
    mode: root.dataset.mode === 'json' ? { name: 'javascript', json: true } : 'xml',
    lineNumbers: true,
    readOnly: !document.getElementById('save'),
  });
  window.hubMappingEditor = editor; // for tests and the console
  var widgets = [];

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  function clearErrors() {
    widgets.forEach(function (w) { editor.removeLineClass(w.line, 'background', 'line-error'); w.widget.clear(); });
    widgets = [];
    document.getElementById('load-errors').replaceChildren();
  }

  function showErrors(errors) {
    clearErrors();
    var list = document.getElementById('load-errors');
    errors.forEach(function (e) {
      var where = e.file + (e.line > 0 ? ':' + e.line + ':' + e.column : '');
      list.appendChild(el('li', 'error', where + ': ' + e.problem + ' Fix: ' + e.fix));
      if (e.file === file && e.line > 0 && e.line <= editor.lineCount()) {
        var line = e.line - 1;
        var node = el('div', 'mapping-error', 'line ' + e.line + ', column ' + e.column + ': ' + e.problem + ' Fix: ' + e.fix);
        node.dataset.line = String(e.line);
        editor.addLineClass(line, 'background', 'line-error');
        widgets.push({ line: line, widget: editor.addLineWidget(line, node, { coverGutter: false }) });
      }
    });
  }

  function call(method, url, body) {
    var headers = { 'Content-Type': 'application/json' };
    if (token) { headers.RequestVerificationToken = token.value; }
    return fetch(url, { method: method, headers: headers, body: JSON.stringify(body), credentials: 'same-origin' })
      .then(function (r) { return r.json().then(function (json) { return { status: r.status, json: json }; }); });
  }

  var sampleFile = document.getElementById('sample-file');
  if (sampleFile) {
    sampleFile.addEventListener('change', function () {
      var chosen = sampleFile.files[0];
      if (chosen) { chosen.text().then(function (text) { document.getElementById('sample').value = text; }); }
    });
  }

  var run = document.getElementById('run');
  if (run) {
    run.addEventListener('click', function () {
      var output = document.getElementById('output');
      var findings = document.getElementById('findings');
      output.textContent = 'running…';
      findings.replaceChildren();
      call('POST', '/api/mappings/' + encodeURIComponent(name) + '/run', {
        rules: editor.getValue(),
        sample: document.getElementById('sample').value,
        messageId: document.getElementById('message-id').value,
      }).then(function (r) {
        if (r.status !== 200) { output.textContent = r.json.detail || ('HTTP ' + r.status); return; }
        showErrors(r.json.errors || []);
        output.textContent = r.json.output || '';
        (r.json.mappingFindings || []).forEach(function (f) { findings.appendChild(el('li', 'error', 'cannot map: ' + f)); });
        (r.json.validation || []).forEach(function (f) {
          findings.appendChild(el('li', f.severity === 'Error' ? 'error' : '', f.severity + ' ' + f.code + ' at ' + f.location + ': ' + f.message));
        });
        if ((r.json.errors || []).length === 0 && findings.children.length === 0) { findings.appendChild(el('li', 'ok', 'no findings: the output is valid')); }
        if ((r.json.errors || []).length > 0) { output.textContent = 'the edit does not load: see the errors beside the lines'; }
      });
    });
  }

  var save = document.getElementById('save');
  if (save) {
    save.addEventListener('click', function () {
      var result = document.getElementById('save-result');
      result.className = '';
      result.textContent = 'saving…';
      call('PUT', '/api/mappings/' + encodeURIComponent(name), { rules: editor.getValue(), version: document.getElementById('version').value })
        .then(function (r) {
          if (r.status === 200) {
            clearErrors();
            result.className = 'ok';
            result.textContent = 'saved: version ' + r.json.version + ' (sha256 ' + r.json.contentHash + ') applies from the next message';
            document.getElementById('current-version').textContent = r.json.version;
            return;
          }
          result.className = 'error';
          if (r.json.errors) {
            showErrors(r.json.errors);
            result.textContent = 'not saved: the edit does not load (' + r.json.errors.length + ' error(s))';
          } else {
            result.textContent = 'not saved: ' + (r.json.detail || ('HTTP ' + r.status));
          }
        });
    });
  }
})();

// The statistics page's charts: documents per period, one stacked bar series per origin country and per document
// type, read from GET /api/statistics with the page's query (data-query on #charts). Each canvas gets
// data-points (how many values it shows) once drawn, so a test can tell a drawn chart from an empty one.
(function () {
  'use strict';
  var charts = document.getElementById('charts');
  if (!charts || typeof Chart === 'undefined') {
    return;
  }
  var query = charts.getAttribute('data-query') || '';

  function draw(canvasId, by, field) {
    return fetch('/api/statistics?by=' + by + '&' + query, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error('GET /api/statistics answered ' + response.status);
        }
        return response.json();
      })
      .then(function (answer) {
        var periods = [];
        var series = {};
        answer.rows.forEach(function (row) {
          if (periods.indexOf(row.period) < 0) {
            periods.push(row.period);
          }
          var name = row[field] || '(none)';
          series[name] = series[name] || {};
          series[name][row.period] = (series[name][row.period] || 0) + row.documents;
        });
        periods.sort();
        var datasets = Object.keys(series).sort().map(function (name) {
          return { label: name, data: periods.map(function (p) { return series[name][p] || 0; }) };
        });
        var canvas = document.getElementById(canvasId);
        new Chart(canvas, {
          type: 'bar',
          data: { labels: periods, datasets: datasets },
          options: { animation: false, responsive: true, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } } }
        });
        canvas.setAttribute('data-points', String(answer.rows.length));
      })
      .catch(function (error) {
        var note = document.createElement('p');
        note.className = 'error';
        note.textContent = 'The chart could not be drawn: ' + error.message;
        document.getElementById(canvasId).parentNode.appendChild(note);
      });
  }

  draw('chart-country', 'origin', 'origin');
  draw('chart-type', 'type', 'type');
})();

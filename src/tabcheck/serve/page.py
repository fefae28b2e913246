"""What `tabcheck serve` shows: the drop page, the bar above a report, the refusals — in English and French.

Plain HTML and CSS, readable from 360 px to a wide screen; a small script adds drag and drop (files
and folders), a progress bar and a check of the size before sending. Without the script, the two file
inputs and the button still send the files as an ordinary form.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html import escape
from typing import Any

from tabcheck.discover import TABULAR_EXTENSIONS
from tabcheck.messages import human_size, is_singular

NB = "\u00a0"  # French: a no-break space before : ; ? ! and inside « »

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "html-lang": "en",
        "title": "tabcheck — check your tables before a Dataverse deposit",
        "lead": "Check your tables before depositing them in Dataverse",
        "intro": "Drop CSV, TSV or Excel files, or a whole folder. You will see what Dataverse will do "
        "with each file, and you can download corrected copies.",
        "zone": "Drop your files or a folder here",
        "or": "or",
        "pick-files": "Choose files",
        "pick-folder": "Choose a folder",
        "submit": "Check these files",
        "private": "Your files stay on this computer: nothing is sent over the internet. They are "
        "deleted as soon as they are checked; the corrected copies are deleted when you stop "
        "tabcheck, or after an hour.",
        "limits": "Up to {size} at a time. Tables: {formats}. Other files are left out.",
        "target": "Predictions for Dataverse {version}; tabular ingest up to {ingest} per file.",
        "stop": "To stop: close this page, then press Ctrl+C in the window where “tabcheck serve” runs.",
        "other-lang": "Français",
        "other-lang-code": "fr",
        "sending": "Sending: {percent} % ({done} of {total})",
        "checking": "Checking and correcting the files… (a large file can take a few minutes)",
        "progress-check": "Checking: {file} ({done}/{total})",
        "progress-fixing": "Correcting the files…",
        "progress-fix": "Correcting: {file} ({percent} %)",
        "progress-zip": "Making the zip…",
        "failed": "Something went wrong: the files could not be checked.",
        "lost": "The connection to tabcheck was lost: is “tabcheck serve” still running?",
        "none": "No table among these files (.csv .tsv .tab .txt .xlsx .xls .xlsm .xlsb .ods).",
        "too-large": "These files are too large: {size} at most at a time (here {given}). Send fewer files at once.",
        "too-many-files": "Too many files at once: {count} at most. Send a smaller folder.",
        "no-space": "Not enough free space on this computer to check {given} (about twice that is needed).",
        "not-multipart": "Send the files with the form of the home page.",
        "refused-name": "A file name was refused: {name}.",
        "gone": "These results are no longer here (deleted after an hour, or when tabcheck stopped). Drop the files again.",
        "forbidden": "This page only answers the browser of this computer.",
        "back": "Check other files",
        "checked-one": "{count} file checked.",
        "checked-many": "{count} files checked.",
        "download": "Download the corrected copies ({size}, zip)",
        "no-download": "No corrected copy could be made: see below why.",
        "fixed": "{count} rewritten as UTF-8 CSV and verified cell by cell against the original.",
        "refused": "{count} not rewritten:",
        "failed-files": "{count} could not be rewritten:",
        "manifest": "fix-manifest.json, in the zip, records every change.",
        "still": "{count} still need a change by hand (see the report below).",
        "ignored": "Left out, hidden files or not tables ({count}):",
        "renamed": "Renamed for safety ({count}):",
        "forget": "Delete these results now",
        "report-label": "Your drop",
        "files-one": "file",
        "files-many": "files",
        "colon": ":",
        "ready": "tabcheck serve: the page is at {url} (on this computer only). Press Ctrl+C here to "
        "stop; the temporary files are then removed.",
        "stopped": "tabcheck serve: stopped; the temporary files are removed.",
    },
    "fr": {
        "html-lang": "fr",
        "title": "tabcheck — vérifiez vos tableaux avant un dépôt dans Dataverse",
        "lead": "Vérifiez vos tableaux avant de les déposer dans Dataverse",
        "intro": "Déposez ici des fichiers CSV, TSV ou Excel, ou un dossier entier. Vous verrez ce que "
        "Dataverse fera de chaque fichier et pourrez télécharger des copies corrigées.",
        "zone": "Déposez vos fichiers ou un dossier ici",
        "or": "ou",
        "pick-files": "Choisir des fichiers",
        "pick-folder": "Choisir un dossier",
        "submit": "Vérifier ces fichiers",
        "private": f"Vos fichiers restent sur cet ordinateur{NB}: rien n'est envoyé sur Internet. Ils sont "
        f"supprimés dès qu'ils sont vérifiés{NB}; les copies corrigées le sont quand vous arrêtez "
        "tabcheck, ou au bout d'une heure.",
        "limits": f"Jusqu'à {{size}} à la fois. Tableaux{NB}: {{formats}}. Les autres fichiers sont laissés de côté.",
        "target": f"Prédictions pour Dataverse {{version}}{NB}; ingestion tabulaire jusqu'à {{ingest}} par fichier.",
        "stop": f"Pour arrêter{NB}: fermez cette page, puis tapez Ctrl+C dans la fenêtre où tourne "
        f"«{NB}tabcheck serve{NB}».",
        "other-lang": "English",
        "other-lang-code": "en",
        "sending": f"Envoi{NB}: {{percent}}{NB}% ({{done}} sur {{total}})",
        "checking": "Vérification et correction des fichiers… (un gros fichier peut prendre quelques minutes)",
        "progress-check": f"Vérification{NB}: {{file}} ({{done}}/{{total}})",
        "progress-fixing": "Correction des fichiers…",
        "progress-fix": f"Correction{NB}: {{file}} ({{percent}}{NB}%)",
        "progress-zip": "Préparation du zip…",
        "failed": f"Un problème est survenu{NB}: les fichiers n'ont pas pu être vérifiés.",
        "lost": f"La connexion à tabcheck a été perdue{NB}: «{NB}tabcheck serve{NB}» tourne-t-il encore{NB}?",
        "none": "Aucun tableau parmi ces fichiers (.csv .tsv .tab .txt .xlsx .xls .xlsm .xlsb .ods).",
        "too-large": f"Ces fichiers sont trop volumineux{NB}: {{size}} au plus à la fois (ici {{given}}). "
        "Envoyez moins de fichiers à la fois.",
        "too-many-files": f"Trop de fichiers à la fois{NB}: {{count}} au plus. Envoyez un dossier plus petit.",
        "no-space": "Pas assez d'espace libre sur cet ordinateur pour vérifier {given} "
        "(il en faut environ le double).",
        "not-multipart": "Envoyez les fichiers avec le formulaire de la page d'accueil.",
        "refused-name": f"Un nom de fichier a été refusé{NB}: {{name}}.",
        "gone": "Ces résultats ne sont plus là (supprimés au bout d'une heure, ou à l'arrêt de tabcheck). "
        "Déposez à nouveau les fichiers.",
        "forbidden": "Cette page ne répond qu'au navigateur de cet ordinateur.",
        "back": "Vérifier d'autres fichiers",
        "checked-one": "{count} fichier vérifié.",
        "checked-many": "{count} fichiers vérifiés.",
        "download": "Télécharger les copies corrigées ({size}, zip)",
        "no-download": f"Aucune copie corrigée n'a pu être faite{NB}: voir pourquoi ci-dessous.",
        "fixed": "{count} réécrit(s) en CSV UTF-8 et vérifié(s) cellule par cellule avec l'original.",
        "refused": f"{{count}} non réécrit(s){NB}:",
        "failed-files": f"{{count}} n'a (ont) pas pu être réécrit(s){NB}:",
        "manifest": "fix-manifest.json, dans le zip, consigne chaque modification.",
        "still": "{count} demande(nt) encore une correction à la main (voir le rapport ci-dessous).",
        "ignored": f"Laissés de côté, fichiers cachés ou qui ne sont pas des tableaux ({{count}}){NB}:",
        "renamed": f"Renommés par sécurité ({{count}}){NB}:",
        "forget": "Supprimer ces résultats maintenant",
        "report-label": "Votre dépôt",
        "files-one": "fichier",
        "files-many": "fichiers",
        "colon": f"{NB}:",
        "ready": f"tabcheck serve{NB}: la page est à l'adresse {{url}} (sur cet ordinateur seulement). "
        f"Tapez Ctrl+C ici pour arrêter{NB}; les fichiers temporaires sont alors supprimés.",
        "stopped": f"tabcheck serve{NB}: arrêté{NB}; les fichiers temporaires sont supprimés.",
    },
}

# The French forms with "(s)" are read as plural or singular by the count.
_FR_PLURALS = {
    "réécrit(s)": ("réécrit", "réécrits"),
    "vérifié(s)": ("vérifié", "vérifiés"),
    "n'a (ont)": ("n'a", "n'ont"),
    "demande(nt)": ("demande", "demandent"),
}


def text(lang: str, key: str, **params: object) -> str:
    """The page's text `key` in `lang`, filled; French "(s)" forms agreed with `count`."""
    found = TEXTS.get(lang, TEXTS["en"]).get(key) or TEXTS["en"][key]
    if lang == "fr" and "count" in params:
        singular = is_singular(params["count"], "fr")
        for form, (one, many) in _FR_PLURALS.items():
            found = found.replace(form, one if singular else many)
    return found.format(**{k: v for k, v in params.items()}) if params else found


def size(n: int, lang: str) -> str:
    shown = human_size(n, lang)
    return shown.replace(" ", NB)


def pick_lang(query: str | None, accept_language: str | None, default: str) -> str:
    """`?lang=` first, then the browser's Accept-Language (by its q values), then `default`."""
    if query in TEXTS:
        return query
    ranked: list[tuple[float, int, str]] = []
    for i, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        m = re.search(r"q\s*=\s*([0-9.]+)", params)
        if m:
            try:
                q = float(m.group(1))
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in TEXTS and q > 0:
            ranked.append((-q, i, primary))
    return sorted(ranked)[0][2] if ranked else (default if default in TEXTS else "en")


STYLE = """
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d1d1f; background: #f6f7f9; }
.wrap { max-width: 52rem; margin: 0 auto; padding: 1rem 1rem 2rem; }
.top { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; }
.top .name { font-weight: 700; font-size: 1.1rem; letter-spacing: .01em; }
.top a { color: #1f4e9c; }
h1 { font-size: 1.55rem; line-height: 1.25; margin: 1.2rem 0 .5rem; }
.intro { margin: 0 0 1rem; }
.zone { border: 2px dashed #8a94a6; border-radius: 12px; background: #fff; padding: 1.6rem 1rem; text-align: center; }
.zone.over { border-color: #1f4e9c; background: #eef3fb; }
.zone .big { font-size: 1.2rem; font-weight: 600; margin: 0 0 .3rem; }
.zone .or { color: #555; margin: .3rem 0 .7rem; }
.pick { display: flex; flex-wrap: wrap; justify-content: center; gap: .6rem; }
.pick label, .go { display: inline-block; font: inherit; font-weight: 600; padding: .55rem 1.1rem; border-radius: 8px; cursor: pointer; }
.pick label { border: 1px solid #1f4e9c; color: #1f4e9c; background: #fff; }
.pick label:focus-within { outline: 3px solid #9bb8e8; }
.pick input { position: absolute; width: 1px; height: 1px; opacity: 0; overflow: hidden; }
.chosen { color: #444; font-size: .92rem; margin: .6rem 0 0; overflow-wrap: anywhere; }
.chosen:empty { display: none; }
.go { border: 0; background: #1f4e9c; color: #fff; margin: 1rem 0 0; }
.js .go { display: none; }
.progress { margin: 1rem 0 0; }
.progress progress { width: 100%; height: 1.1rem; }
.progress p { margin: .3rem 0 0; }
.problem { margin: 1rem 0 0; padding: .7rem .9rem; border-radius: 8px; background: #fde4e4; color: #8d1414; font-weight: 600; }
.facts { margin: 1.4rem 0 0; padding: 0 0 0 1.1rem; color: #333; }
.facts li { margin: .35rem 0; }
footer { margin: 1.6rem 0 0; color: #555; font-size: .92rem; }
[hidden] { display: none !important; }
"""

BAR_STYLE = """
.tcs-bar { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: #eef3fb; border: 1px solid #c5d4ee; border-radius: 10px; padding: .8rem 1rem; margin: 0 0 1.2rem; overflow-wrap: anywhere; }
.tcs-bar p { margin: .25rem 0; }
.tcs-actions { display: flex; flex-wrap: wrap; align-items: center; gap: .6rem 1rem; margin: .5rem 0; }
.tcs-actions form { margin: 0; }
.tcs-button { display: inline-block; font: inherit; font-weight: 600; padding: .5rem 1rem; border-radius: 8px; background: #1f4e9c; color: #fff !important; text-decoration: none; }
.tcs-link { color: #1f4e9c; }
.tcs-forget { font: inherit; font-size: .9rem; background: none; border: 0; padding: 0; color: #8d1414; text-decoration: underline; cursor: pointer; }
.tcs-bar ul { margin: .2rem 0 .4rem; padding-left: 1.2rem; }
.tcs-bar code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .9em; }
.tcs-bar code.tcs-keep { white-space: nowrap; }
.tcs-lang { float: right; margin-left: 1rem; }
"""

SCRIPT = r"""
(function () {
  var T = %(texts)s, LIMIT = %(limit)d, EXTS = %(exts)s;
  var form = document.getElementById("drop"), zone = document.getElementById("zone");
  var bar = document.getElementById("progress"), meter = bar.querySelector("progress");
  var status = document.getElementById("status"), problem = document.getElementById("problem");
  var chosen = document.getElementById("chosen");
  if (!window.FormData || !window.XMLHttpRequest) return;
  document.documentElement.className += " js";
  var busy = false;
  function isTable(name) {
    var n = name.toLowerCase(), base = n.split("/").pop();
    if (base.charAt(0) === ".") return false;
    for (var i = 0; i < EXTS.length; i++) if (n.slice(-EXTS[i].length) === EXTS[i]) return true;
    return false;
  }
  function human(n) {
    var u = T.units, i = 0;
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    var s = i === 0 ? String(n) : n.toFixed(n < 10 ? 1 : 0);
    return s.replace(".", T.decimal) + "\u00a0" + u[i];
  }
  function fill(s, p) { return s.replace(/\{(\w+)\}/g, function (m, k) { return k in p ? p[k] : m; }); }
  function fail(message) {
    busy = false;
    bar.hidden = true;
    problem.textContent = message;
    problem.hidden = false;
  }
  function send(items) {
    if (busy) return;
    problem.hidden = true;
    var tables = items.filter(function (it) { return isTable(it.name); });
    if (!tables.length) { fail(T.none); return; }
    var total = 0;
    tables.forEach(function (it) { total += it.file.size; });
    if (total > LIMIT) { fail(fill(T.tooLarge, {size: human(LIMIT), given: human(total)})); return; }
    var data = new FormData();
    tables.forEach(function (it) { data.append("files", it.file, it.name); });
    busy = true;
    bar.hidden = false;
    meter.removeAttribute("value");
    status.textContent = fill(T.sending, {percent: 0, done: human(0), total: human(total)});
    var job = Math.random().toString(36).slice(2) + Date.now().toString(36), timer = null;
    var action = form.getAttribute("action");
    function poll() {
      var ask = new XMLHttpRequest();
      ask.open("GET", "/progress/" + job);
      ask.onload = function () {
        var p = null;
        try { p = JSON.parse(ask.responseText); } catch (e) { return; }
        if (!p || !p.phase || !busy) return;
        if (p.phase === "check" && p.total) {
          meter.max = p.total; meter.value = p.done;
          status.textContent = fill(T.pCheck, {file: p.file, done: p.done, total: p.total});
        } else if (p.phase === "fix" && p.total) {
          meter.max = p.total; meter.value = p.done;
          status.textContent = fill(T.pFix, {file: p.file, percent: Math.floor(100 * p.done / p.total)});
        } else {
          meter.removeAttribute("value");
          status.textContent = p.phase === "zip" ? T.pZip : T.pFixing;
        }
      };
      ask.send();
    }
    function done() { if (timer) { clearInterval(timer); timer = null; } }
    var xhr = new XMLHttpRequest();
    xhr.open("POST", action + (action.indexOf("?") < 0 ? "?" : "&") + "job=" + job);
    xhr.setRequestHeader("X-Tabcheck", "1");
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      meter.max = e.total; meter.value = e.loaded;
      var done = Math.min(total, Math.round(total * e.loaded / e.total));
      status.textContent = fill(T.sending, {percent: Math.floor(100 * e.loaded / e.total), done: human(done), total: human(total)});
    };
    xhr.upload.onload = function () {
      meter.removeAttribute("value");
      status.textContent = T.checking;
      timer = setInterval(poll, 700);
    };
    xhr.onload = function () {
      done();
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
      if (xhr.status === 200 && answer && answer.report) { window.location.href = answer.report; return; }
      fail(answer && answer.error ? answer.error : T.failed);
    };
    xhr.onerror = function () { done(); fail(T.lost); };
    xhr.send(data);
  }
  function fromInputs(inputs) {
    var items = [];
    inputs.forEach(function (input) {
      Array.prototype.forEach.call(input.files || [], function (f) {
        items.push({file: f, name: f.webkitRelativePath || f.name});
      });
    });
    return items;
  }
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[type=file]"));
  inputs.forEach(function (input) {
    input.addEventListener("change", function () { if (input.files.length) send(fromInputs([input])); });
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); send(fromInputs(inputs)); });
  function walk(entry, prefix, items, done) {
    if (entry.isFile) {
      entry.file(function (f) { items.push({file: f, name: prefix + f.name}); done(); }, function () { done(); });
    } else if (entry.isDirectory) {
      var reader = entry.createReader(), children = [];
      var more = function () {
        reader.readEntries(function (batch) {
          if (batch.length) { children = children.concat(batch); more(); return; }
          var left = children.length;
          if (!left) { done(); return; }
          children.forEach(function (child) {
            walk(child, prefix + entry.name + "/", items, function () { if (--left === 0) done(); });
          });
        }, function () { done(); });
      };
      more();
    } else { done(); }
  }
  function dropped(e) {
    e.preventDefault();
    zone.className = zone.className.replace(" over", "");
    var dt = e.dataTransfer, entries = [];
    if (dt.items && dt.items.length && dt.items[0].webkitGetAsEntry) {
      for (var i = 0; i < dt.items.length; i++) {
        var entry = dt.items[i].webkitGetAsEntry();
        if (entry) entries.push(entry);
      }
    }
    if (!entries.length) {
      send(Array.prototype.map.call(dt.files, function (f) { return {file: f, name: f.name}; }));
      return;
    }
    var items = [], left = entries.length;
    chosen.textContent = T.reading;
    entries.forEach(function (entry) {
      walk(entry, "", items, function () { if (--left === 0) { chosen.textContent = ""; send(items); } });
    });
  }
  window.addEventListener("dragover", function (e) {
    e.preventDefault();
    if (zone.className.indexOf(" over") < 0) zone.className += " over";
  });
  window.addEventListener("dragleave", function (e) {
    if (!e.relatedTarget) zone.className = zone.className.replace(" over", "");
  });
  window.addEventListener("drop", dropped);
})();
"""


def _script(lang: str, limit: int) -> str:
    fr = lang == "fr"
    texts = {
        "sending": text(lang, "sending"),
        "checking": text(lang, "checking"),
        "failed": text(lang, "failed"),
        "lost": text(lang, "lost"),
        "none": text(lang, "none"),
        "tooLarge": text(lang, "too-large"),
        "pCheck": text(lang, "progress-check"),
        "pFixing": text(lang, "progress-fixing"),
        "pFix": text(lang, "progress-fix"),
        "pZip": text(lang, "progress-zip"),
        "reading": "…",
        "units": ["octets", "Ko", "Mo", "Go", "To"] if fr else ["bytes", "KB", "MB", "GB", "TB"],
        "decimal": "," if fr else ".",
    }
    extensions = json.dumps(list(TABULAR_EXTENSIONS))
    return SCRIPT % {"texts": json.dumps(texts, ensure_ascii=False), "limit": limit, "exts": extensions}


def _lang_link(lang: str, path: str) -> str:
    other = text(lang, "other-lang-code")
    return (
        f'<a href="{escape(path)}?lang={other}" hreflang="{other}" lang="{other}">'
        f"{escape(text(lang, 'other-lang'))}</a>"
    )


def home(lang: str, info: Mapping[str, Any], *, chosen_lang: str | None = None) -> str:
    """The drop page. `info`: max_upload (bytes), dataverse (version), max_ingest (bytes)."""
    limit = int(info["max_upload"])
    action = "/check" + (f"?lang={chosen_lang}" if chosen_lang else "")
    formats = " ".join(TABULAR_EXTENSIONS)
    accept = ",".join(TABULAR_EXTENSIONS)
    t = lambda key, **p: escape(text(lang, key, **p))  # noqa: E731
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t("title")}</title>
<style>{STYLE}</style>
</head>
<body>
<div class="wrap">
<header class="top"><span class="name">tabcheck</span>{_lang_link(lang, "/")}</header>
<main>
<h1>{t("lead")}</h1>
<p class="intro">{t("intro")}</p>
<form id="drop" method="post" action="{escape(action)}" enctype="multipart/form-data">
  <div class="zone" id="zone">
    <p class="big">{t("zone")}</p>
    <p class="or">{t("or")}</p>
    <div class="pick">
      <label>{t("pick-files")}<input type="file" name="files" multiple accept="{accept}" id="pick-files"></label>
      <label>{t("pick-folder")}<input type="file" name="files" multiple webkitdirectory id="pick-folder"></label>
    </div>
    <p class="chosen" id="chosen" aria-live="polite"></p>
  </div>
  <button type="submit" class="go">{t("submit")}</button>
  <div class="progress" id="progress" hidden><progress></progress><p id="status" aria-live="polite"></p></div>
  <p class="problem" id="problem" role="alert" hidden></p>
</form>
<ul class="facts">
  <li>{t("private")}</li>
  <li>{t("limits", size=size(limit, lang), formats=formats)}</li>
  <li>{t("target", version=info["dataverse"], ingest=size(int(info["max_ingest"]), lang))}</li>
</ul>
</main>
<footer>{t("stop")}</footer>
</div>
<script>{_script(lang, limit)}</script>
</body>
</html>
"""


def problem_page(lang: str, message: str) -> str:
    """A refusal or an error, with the way back."""
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tabcheck</title>
<style>{STYLE}</style>
</head>
<body>
<div class="wrap">
<header class="top"><span class="name">tabcheck</span></header>
<main>
<p class="problem" role="alert">{escape(message)}</p>
<p><a href="/?lang={lang}">{escape(text(lang, "back"))}</a></p>
</main>
</div>
</body>
</html>
"""


def _plural(lang: str, count: int, one: str, many: str) -> str:
    return text(lang, one if is_singular(count, lang) else many, count=count)


def bar(
    lang: str,
    *,
    token: str,
    files: int,
    zip_size: int | None,
    fixed: int,
    refused: list[tuple[str, str]],
    failed: list[tuple[str, str]],
    still: int,
    ignored: list[str],
    renamed: list[tuple[str, str]],
) -> str:
    """The bar above the report: the zip to download, what fix did, what was left out."""
    t = lambda key, **p: escape(text(lang, key, **p))  # noqa: E731
    colon = text(lang, "colon")
    out = [f'<div class="tcs-bar" role="region" aria-label="{t("report-label")}">']
    other = text(lang, "other-lang-code")
    out.append(
        f'<a class="tcs-lang tcs-link" href="/report/{token}?lang={other}" hreflang="{other}" '
        f'lang="{other}">{t("other-lang")}</a>'
    )
    out.append(f"<p><strong>{escape(_plural(lang, files, 'checked-one', 'checked-many'))}</strong></p>")
    out.append('<div class="tcs-actions">')
    if zip_size is not None:
        out.append(
            f'<a class="tcs-button" id="tcs-download" href="/download/{token}" download>'
            f"{t('download', size=size(zip_size, lang))}</a>"
        )
    out.append(f'<a class="tcs-link" id="tcs-back" href="/?lang={lang}">{t("back")}</a>')
    out.append(
        f'<form method="post" action="/forget/{token}?lang={lang}">'
        f'<button class="tcs-forget" type="submit">{t("forget")}</button></form>'
    )
    out.append("</div>")
    if zip_size is None:
        out.append(f"<p>{t('no-download')}</p>")
    if fixed:
        manifest = t("manifest").replace(
            "fix-manifest.json", '<code class="tcs-keep">fix-manifest.json</code>', 1
        )
        out.append(f"<p>{t('fixed', count=fixed)} {manifest}</p>")
    if still:
        out.append(f"<p>{t('still', count=still)}</p>")
    for key, entries in (("refused", refused), ("failed-files", failed)):
        if entries:
            out.append(f"<p>{t(key, count=len(entries))}</p><ul>")
            out.extend(
                f"<li><code>{escape(name)}</code>{escape(colon)} {escape(why)}</li>" for name, why in entries
            )
            out.append("</ul>")
    if ignored:
        shown = ", ".join(f"<code>{escape(n)}</code>" for n in ignored[:20])
        more = "…" if len(ignored) > 20 else ""
        out.append(f"<p>{t('ignored', count=len(ignored))} {shown}{more}</p>")
    if renamed:
        shown = ", ".join(f"<code>{escape(a)}</code> → <code>{escape(b)}</code>" for a, b in renamed[:20])
        more = "…" if len(renamed) > 20 else ""
        out.append(f"<p>{t('renamed', count=len(renamed))} {shown}{more}</p>")
    out.append("</div>")
    return "\n".join(out)


_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)


def decorate(report_html: str, bar_html: str) -> str:
    """The report as `tabcheck check --format html` writes it, with the bar at the top of its body."""
    page = report_html.replace("</head>", f"<style>{BAR_STYLE}</style>\n</head>", 1)
    m = _BODY.search(page)
    if m is None:
        return bar_html + page
    return page[: m.end()] + "\n" + bar_html + page[m.end() :]

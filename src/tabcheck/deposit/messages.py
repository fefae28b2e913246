"""The words of `tabcheck deposit`, in English and French (no-break space before : ; ? ! in French)."""

from __future__ import annotations

from tabcheck.messages import fill

NBSP = "\u00a0"

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "head.dry-run": "Dry run: nothing is uploaded to {server} (dataset {dataset}).",
        "head.run": "Deposit to {server}, dataset {dataset}.",
        "warn.version": "warning: the server runs Dataverse {version}, the prediction is for {modelled} "
        "(pass --dataverse or --instance to match it)",
        "plan.upload": "{source}: upload as it is; {prediction}",
        "plan.fixed": "{source}: will fail as it is ({rules}); upload its fixed copy {name}; {prediction}",
        "plan.no-ingest": "{source}: will fail as it is ({rules}); upload it without tabular ingest "
        "(stored as a plain file, not as a table)",
        "plan.refused": "{source}: refused: {why}",
        "why.fails": "Dataverse {version} will not ingest it as it is ({rules}). Pass --on-fail fixed "
        "to upload its fixed copy, or --on-fail no-ingest to store it without tabular ingest.",
        "why.unreadable": "tabcheck could not check it ({detail}); it is not uploaded.",
        "why.fix-refused": "tabcheck fix cannot repair it: {detail}",
        "why.fix-still-fails": "its fixed copy still will not be ingested ({rules}): fix it by hand.",
        "why.fix-error": "tabcheck fix failed on it: {detail}",
        "predict.ingested": "Dataverse {version} will ingest it: {variables} "
        "{variables:plural:variable|variables}, {observations} "
        "{observations:plural:observation|observations}",
        "predict.not-ingested": "Dataverse {version} will store it without ingest",
        "result.ok": "{source} → {label} (file {id}): {observed}: as predicted",
        "result.mismatch": "{source} → {label} (file {id}): {observed}: NOT as predicted ({differences})",
        "result.unknown": "{source} → {name} (file {id}): uploaded; ingest result unknown",
        "result.error": "{source} → {name}: not uploaded: {error}",
        "observed.tabular": "ingested, {variables} {variables:plural:variable|variables}, {observations} "
        "{observations:plural:observation|observations}",
        "observed.plain": "stored without ingest",
        "diff.tabular.true": "predicted to be ingested, but Dataverse did not ingest it",
        "diff.tabular.false": "predicted to stay a plain file, but Dataverse ingested it",
        "diff.value": "{what}: {observed} on the server, {predicted} predicted",
        "what.variables": "variables",
        "what.observations": "observations",
        "what.unf": "UNF",
        "what.md5": "MD5 checksum",
        "receipt": "Receipt: {json}, {html}",
        "summary.dry-run": "{files} {files:plural:file|files}: {upload} to upload, {refused} refused.",
        "summary.run": "{files} {files:plural:file|files}: {uploaded} uploaded, {refused} refused, "
        "{as_predicted} as predicted, {mismatches} not as predicted, {errors} "
        "{errors:plural:error|errors}.",
        "no-files": "No table found in the given paths: nothing to deposit.",
        # Errors (exit 2).
        "err.missing-extra": "tabcheck deposit needs pyDataverse: pip install 'tabcheck[deposit]'",
        "err.no-token": "no API token: set it in the environment (export {env}=…, the token from your "
        "account's API Token page); tabcheck never takes it on the command line",
        "err.401": "the server refused the API token from ${env} (HTTP 401): it is wrong or has "
        "expired; create a new one in your account's API Token page",
        "err.403": "the API token's account may not add files to dataset {dataset} (HTTP 403): ask the "
        "dataset's owner for the Contributor or Curator role",
        "err.404": "dataset {dataset} not found on {server} (HTTP 404): check --dataset (doi:10.…) "
        "and --server",
        "err.413": "the server refused {name} as too large (HTTP 413): ask the repository about its "
        "upload limit, or upload it through its direct upload",
        "err.http": "the server answered HTTP {status}: {message}",
        "err.read": "cannot read {name}: {detail}",
        "err.unreachable": "cannot reach {server}: {detail}",
        "err.bad-answer": "the server's answer is not the Dataverse API's (HTTP {status})",
        "err.lock": "dataset {dataset} is still locked for ingest after {seconds} s: the files are "
        "uploaded but their ingest result is not known yet; look at the dataset's page later",
        "err.on-fail": "--on-fail must be refuse, fixed or no-ingest (got {value!r})",
        "err.server": "--server must be an http:// or https:// address (got {value!r})",
        "err.dataset": "--dataset must be a persistent identifier such as doi:10.5072/FK2/ABC or "
        "hdl:1902.1/12345 (got {value!r})",
    },
    "fr": {
        "head.dry-run": "Essai à blanc{nbsp}: rien n'est envoyé vers {server} (jeu de données {dataset}).",
        "head.run": "Dépôt vers {server}, jeu de données {dataset}.",
        "warn.version": "attention{nbsp}: le serveur utilise Dataverse {version}, la prédiction vaut pour "
        "{modelled} (indiquez --dataverse ou --instance pour qu'elles concordent)",
        "plan.upload": "{source}{nbsp}: envoyé tel quel{nbsp}; {prediction}",
        "plan.fixed": "{source}{nbsp}: l'ingestion échouera tel quel ({rules}){nbsp}; envoi de sa copie "
        "corrigée {name}{nbsp}; {prediction}",
        "plan.no-ingest": "{source}{nbsp}: l'ingestion échouera tel quel ({rules}){nbsp}; envoyé sans "
        "ingestion tabulaire (conservé comme simple fichier, pas comme tableau)",
        "plan.refused": "{source}{nbsp}: refusé{nbsp}: {why}",
        "why.fails": "Dataverse {version} ne l'ingérera pas tel quel ({rules}). Indiquez --on-fail fixed "
        "pour envoyer sa copie corrigée, ou --on-fail no-ingest pour le déposer sans ingestion tabulaire.",
        "why.unreadable": "tabcheck n'a pas pu le vérifier ({detail}){nbsp}; il n'est pas envoyé.",
        "why.fix-refused": "tabcheck fix ne peut pas le réparer{nbsp}: {detail}",
        "why.fix-still-fails": "sa copie corrigée ne sera toujours pas ingérée ({rules}){nbsp}: "
        "corrigez-le à la main.",
        "why.fix-error": "tabcheck fix a échoué sur ce fichier{nbsp}: {detail}",
        "predict.ingested": "Dataverse {version} l'ingérera{nbsp}: {variables} "
        "{variables:plural:variable|variables}, {observations} "
        "{observations:plural:observation|observations}",
        "predict.not-ingested": "Dataverse {version} le conservera sans ingestion",
        "result.ok": "{source} → {label} (fichier {id}){nbsp}: {observed}{nbsp}: conforme à la prévision",
        "result.mismatch": "{source} → {label} (fichier {id}){nbsp}: {observed}{nbsp}: NON conforme à la "
        "prévision ({differences})",
        "result.unknown": "{source} → {name} (fichier {id}){nbsp}: envoyé{nbsp}; résultat de "
        "l'ingestion inconnu",
        "result.error": "{source} → {name}{nbsp}: non envoyé{nbsp}: {error}",
        "observed.tabular": "ingéré, {variables} {variables:plural:variable|variables}, {observations} "
        "{observations:plural:observation|observations}",
        "observed.plain": "conservé sans ingestion",
        "diff.tabular.true": "l'ingestion était prévue, mais Dataverse ne l'a pas ingéré",
        "diff.tabular.false": "il devait rester un simple fichier, mais Dataverse l'a ingéré",
        "diff.value": "{what}{nbsp}: {observed} sur le serveur, {predicted} prévu(e)s",
        "what.variables": "variables",
        "what.observations": "observations",
        "what.unf": "UNF",
        "what.md5": "somme de contrôle MD5",
        "receipt": "Récépissé{nbsp}: {json}, {html}",
        "summary.dry-run": "{files} {files:plural:fichier|fichiers}{nbsp}: {upload} à envoyer, "
        "{refused} {refused:plural:refusé|refusés}.",
        "summary.run": "{files} {files:plural:fichier|fichiers}{nbsp}: {uploaded} "
        "{uploaded:plural:envoyé|envoyés}, {refused} {refused:plural:refusé|refusés}, {as_predicted} "
        "conformes à la prévision, {mismatches} non conformes, {errors} {errors:plural:erreur|erreurs}.",
        "no-files": "Aucun tableau trouvé dans les chemins indiqués{nbsp}: rien à déposer.",
        "err.missing-extra": "tabcheck deposit a besoin de pyDataverse{nbsp}: pip install 'tabcheck[deposit]'",
        "err.no-token": "pas de jeton d'API{nbsp}: définissez-le dans l'environnement (export {env}=…, le "
        "jeton de la page « API Token » de votre compte){nbsp}; tabcheck ne le prend jamais sur la "
        "ligne de commande",
        "err.401": "le serveur a refusé le jeton d'API de ${env} (HTTP 401){nbsp}: il est erroné ou a "
        "expiré{nbsp}; créez-en un nouveau dans la page « API Token » de votre compte",
        "err.403": "le compte du jeton d'API n'a pas le droit d'ajouter des fichiers au jeu de données "
        "{dataset} (HTTP 403){nbsp}: demandez au propriétaire du jeu de données le rôle Contributor ou "
        "Curator",
        "err.404": "jeu de données {dataset} introuvable sur {server} (HTTP 404){nbsp}: vérifiez "
        "--dataset (doi:10.…) et --server",
        "err.413": "le serveur a refusé {name}, trop volumineux (HTTP 413){nbsp}: renseignez-vous sur la "
        "limite de dépôt de l'entrepôt, ou passez par son envoi direct",
        "err.http": "le serveur a répondu HTTP {status}{nbsp}: {message}",
        "err.read": "impossible de lire {name}{nbsp}: {detail}",
        "err.unreachable": "impossible de joindre {server}{nbsp}: {detail}",
        "err.bad-answer": "la réponse du serveur n'est pas celle de l'API Dataverse (HTTP {status})",
        "err.lock": "le jeu de données {dataset} est toujours verrouillé pour l'ingestion après "
        "{seconds}{nbsp}s{nbsp}: les fichiers sont envoyés mais le résultat de leur ingestion n'est pas "
        "encore connu{nbsp}; consultez plus tard la page du jeu de données",
        "err.on-fail": "--on-fail vaut refuse, fixed ou no-ingest (reçu {value!r})",
        "err.server": "--server doit être une adresse http:// ou https:// (reçu {value!r})",
        "err.dataset": "--dataset doit être un identifiant pérenne comme doi:10.5072/FK2/ABC ou "
        "hdl:1902.1/12345 (reçu {value!r})",
    },
}


def say(lang: str, key: str, **params: object) -> str:
    """The text `key` in `lang` (English when missing), filled with `params`."""
    text = TEXT.get(lang, TEXT["en"]).get(key) or TEXT["en"][key]
    return fill(text, {"nbsp": NBSP, **params}, lang)


def both(key: str, **params: object) -> tuple[str, str]:
    """The text `key` in English and in French."""
    return say("en", key, **params), say("fr", key, **params)

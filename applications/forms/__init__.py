"""Forms of the applications app: dossier sections (``sections``), attachments and submission (``submission``),
and the amount field (``amounts``)."""

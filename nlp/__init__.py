"""Vietnamese NLP for citizens' petitions: text in, prediction out.

Pure and import-light: no Flask, no database, no I/O at import; the trained
models (nlp/models) and underthesea's address mapping load lazily, once per
process, on first use.

- ``nlp.normalize.normalize`` / ``fold`` — canonical text / diacritics-free search key
- ``nlp.pii.find`` / ``mask`` — phone, ID, email and bank-account spans; masking for logs
- ``nlp.wards.resolve`` — the current ward a text names, or None
- ``nlp.urgency.detect`` — immediate danger, with the hazards found
- ``nlp.legal_type.suggest`` — khieu_nai | to_cao | kien_nghi | phan_anh | hoi_dap
- ``nlp.duplicates.candidates`` — similar open petitions, scored
- ``nlp.intent.detect`` — petition | greeting | thanks | bot_question | status_lookup | …
- ``nlp.classifier.predict`` — category, calibrated confidence, top 3
- ``nlp.pipeline.analyse`` — all of the above in one frozen ``Analysis``
- ``python -m nlp train | classify | evaluate | reliability`` — see nlp/cli.py
"""

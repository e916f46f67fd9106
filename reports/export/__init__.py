"""Exports: the data leaves ePRO Desk in the formats trial teams load (Qt-free).

Metadata side (from the instrument files alone):
    ``variables``   one flat list of export variables (items and scores) shared by every format
    ``csvsafe``     CSV writing with a BOM and OWASP formula-injection defanging
    ``dictionary``  ``data_dictionary.csv``
    ``redcap``      REDCap data dictionary (18 columns) and event names
    ``odm_meta``    CDISC ODM 1.3.2 Study/MetaDataVersion (streamed with XMLGenerator)
    ``fhir_meta``   FHIR R4 Questionnaire per instrument version
"""

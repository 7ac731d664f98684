"""FHIR R4 (4.0.1) views of a patient's record: plain dicts built from our rows, one module per
resource family; `everything.patient_everything` assembles the `$everything` Bundle.

Pure builders (a row in, a resource dict out) so that the tests can parse every resource with a
FHIR model library without the product depending on one at run time.
"""

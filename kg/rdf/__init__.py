"""RDF mapping: ontology namespaces and facts -> quads."""

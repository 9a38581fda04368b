// The documents a document carries out, up to the national ones: through IMPLEMENTS and through the
// decision that issues it. Same documents as PolicyGraph.chain(document) at depth < 0.
// params: document:document
MATCH (d:Document {id: $document})-[:IMPLEMENTS*1..12]->(u:Document)
RETURN DISTINCT u.id AS upper, u.number AS number, u.title AS title
UNION
MATCH (x:Document)-[:ISSUES]->(d:Document {id: $document})
MATCH (x)-[:IMPLEMENTS*0..12]->(u:Document)
RETURN DISTINCT u.id AS upper, u.number AS number, u.title AS title

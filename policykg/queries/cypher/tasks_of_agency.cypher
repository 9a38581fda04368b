// Tasks an agency (every jurisdiction's agency of that gazetteer key) leads under a document,
// transitively. Same answer as PolicyGraph.tasks(agency=..., role="lead", under=...).
// params: agency:agency_key, document:document
MATCH (top:Document {id: $document})
MATCH (p:Document)-[:IMPLEMENTS*0..12]->(top)
OPTIONAL MATCH (p)-[:ISSUES]->(q:Document)
WITH collect(DISTINCT p) + collect(DISTINCT q) AS docs
UNWIND docs AS d
OPTIONAL MATCH (d)-[:HAS_TASK]->(own:Task)
OPTIONAL MATCH (sourced:Task)-[:IMPLEMENTS]->(d)
WITH collect(DISTINCT own) + collect(DISTINCT sourced) AS found
UNWIND found AS t
MATCH (a:Agency {key: $agency})-[:LEADS]->(t)
RETURN DISTINCT t.id AS task, t.number AS number, t.title AS title, a.jurisdiction AS jurisdiction
ORDER BY task

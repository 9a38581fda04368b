// Per agency: tasks led and tasks supported under a document, transitively. Same counts as
// PolicyGraph.workload(under=document).led / .supported.
// params: document:document
MATCH (top:Document {id: $document})
MATCH (p:Document)-[:IMPLEMENTS*0..12]->(top)
OPTIONAL MATCH (p)-[:ISSUES]->(q:Document)
WITH collect(DISTINCT p) + collect(DISTINCT q) AS docs
UNWIND docs AS d
OPTIONAL MATCH (d)-[:HAS_TASK]->(own:Task)
OPTIONAL MATCH (sourced:Task)-[:IMPLEMENTS]->(d)
WITH collect(DISTINCT own) + collect(DISTINCT sourced) AS found
UNWIND found AS t
WITH DISTINCT t
MATCH (a:Agency)-[r]->(t)
WHERE type(r) = 'LEADS' OR type(r) = 'SUPPORTS'
WITH a, sum(CASE WHEN type(r) = 'LEADS' THEN 1 ELSE 0 END) AS leads,
     sum(CASE WHEN type(r) = 'SUPPORTS' THEN 1 ELSE 0 END) AS supports
RETURN a.id AS agency, leads, supports
ORDER BY leads DESC, agency

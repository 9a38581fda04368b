// Which provinces and plans carry out a document (the loaded documents under it, transitively), with
// their number of tasks. Same plans and counts as PolicyGraph.implementers(document).
// params: document:document
MATCH (top:Document {id: $document})
MATCH (p:Document)-[:IMPLEMENTS*1..12]->(top)
OPTIONAL MATCH (p)-[:ISSUES]->(q:Document)
WITH collect(DISTINCT p) + collect(DISTINCT q) AS docs
UNWIND docs AS d
WITH DISTINCT d WHERE d.loaded = true
OPTIONAL MATCH (d)-[:HAS_TASK]->(t:Task)
RETURN d.id AS plan, d.jurisdiction AS jurisdiction, count(t) AS tasks
ORDER BY jurisdiction, plan

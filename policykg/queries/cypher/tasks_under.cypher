// Tasks under a document, transitively: the tasks of every document that carries it out (IMPLEMENTS,
// and the plans a carrying-out decision issues), and the table tasks that say they come from one of
// them. Same answer as PolicyGraph.tasks(under=...).
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
RETURN DISTINCT t.id AS task, t.number AS number, t.title AS title, t.due AS due
ORDER BY task

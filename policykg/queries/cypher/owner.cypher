// Who leads and who supports a task, as the plan names them. Same answer as PolicyGraph.owner(task).
// params: task:task
MATCH (a:Agency)-[r:LEADS]->(t:Task {id: $task})
RETURN 'lead' AS role, a.id AS agency, a.name AS name, r.printed AS printed
UNION ALL
MATCH (a:Agency)-[r:SUPPORTS]->(t:Task {id: $task})
RETURN 'support' AS role, a.id AS agency, a.name AS name, r.printed AS printed

// Tasks due between two dates (inclusive; dates are ISO strings), soonest first. Same tasks as
// PolicyGraph.deadlines(between=(from, to)).
// params: from:date, to:date
MATCH (t:Task)
WHERE t.due >= $from AND t.due <= $to
RETURN t.id AS task, t.due AS due, t.title AS title
ORDER BY due, task

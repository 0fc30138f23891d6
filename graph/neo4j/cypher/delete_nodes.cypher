UNWIND $ids AS id
MATCH (n:{base} {id: id})
DETACH DELETE n
RETURN count(*) AS deleted

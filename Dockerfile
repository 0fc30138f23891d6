# The collabgraph app image used by docker-compose.yml (the workbench and the CLI).
FROM python:3.11-slim
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir "/app[neo4j-fast]" && useradd --create-home collabgraph
USER collabgraph
WORKDIR /home/collabgraph
EXPOSE 8501
CMD ["collabgraph", "--help"]

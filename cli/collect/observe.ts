/**
 * Observers for the progress display: a fetch that reports each request, and a sink that reports each object
 * committed. Both pass everything through unchanged.
 */
import nodeFetch from "node-fetch";
import type { Writable } from "stream";
import type { FetchLike } from "../../atlassian/http/pipeline";
import type { SnapshotSink } from "../../collector/snapshot/sink";
import type { ProgressEvent } from "./progress";

export function observedFetch(report: (event: ProgressEvent) => void, inner: FetchLike = nodeFetch as unknown as FetchLike): FetchLike {
  return (url, init) => {
    report({ kind: "request", url });
    return inner(url, init);
  };
}

export function observedSink(sink: SnapshotSink, report: (event: ProgressEvent) => void): SnapshotSink {
  return {
    location: sink.location,
    readObject: (key) => sink.readObject(key),
    writeObject: async (key, body, contentType) => {
      await sink.writeObject(key, body, contentType);
      report({ kind: "file", key });
    },
    writeStream: (key, contentType): Writable => {
      const stream = sink.writeStream(key, contentType);
      stream.once("finish", () => report({ kind: "file", key }));
      return stream;
    },
  };
}

/**
 * Where a node lives in the Mesos web UI the leading master serves (an AngularJS app routed by the URL
 * fragment; routes as in apache/mesos src/webui/app/app.js). A command task's executor id is its task
 * id, which is why a task falls back to it.
 */
export type MesosUiTarget =
  | { readonly kind: 'cluster' }
  | { readonly kind: 'frameworks' }
  | { readonly kind: 'framework'; readonly frameworkId: string }
  | { readonly kind: 'agents' }
  | { readonly kind: 'agent'; readonly agentId: string }
  | { readonly kind: 'task'; readonly agentId: string; readonly frameworkId: string; readonly executorId: string }
  | { readonly kind: 'offers' };

const seg = encodeURIComponent;

export function mesosUiRoute(target: MesosUiTarget): string {
  switch (target.kind) {
    case 'cluster':
      return '/';
    case 'frameworks':
      return '/frameworks';
    case 'framework':
      return `/frameworks/${seg(target.frameworkId)}`;
    case 'agents':
      return '/agents';
    case 'agent':
      return `/agents/${seg(target.agentId)}`;
    case 'task':
      return `/agents/${seg(target.agentId)}/frameworks/${seg(target.frameworkId)}/executors/${seg(target.executorId)}`;
    case 'offers':
      return '/offers';
  }
}

/** `http://leader:5050/#/frameworks/<id>`; a path prefix of the master URL (a reverse proxy) is kept. */
export function mesosUiUrl(master: string, target: MesosUiTarget): string {
  const url = new URL(master);
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return `${base}/#${mesosUiRoute(target)}`;
}

// The shell the service worker serves for every field route when offline.
export const prerender = true;

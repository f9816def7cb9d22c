// The field app runs entirely on the device: rendered in the browser from IndexedDB, served
// offline by the service worker from the prerendered shell (TOOLCHAIN.md pitfall 3).
export const ssr = false;

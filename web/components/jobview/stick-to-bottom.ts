// Auto-scroll of a growing log: follow the end while the reader is at the end, stop
// following as soon as they scroll up, follow again when they come back down.
"use client";

import * as React from "react";

/** True when a scroll box shows its last `slack` pixels (the reader is at the end). */
export function isNearBottom(box: { scrollTop: number; scrollHeight: number; clientHeight: number }, slack = 16): boolean {
  return box.scrollHeight - box.scrollTop - box.clientHeight <= slack;
}

export function useStickToBottom<T extends HTMLElement>(contentVersion: unknown) {
  const ref = React.useRef<T>(null);
  const [following, setFollowing] = React.useState(true);
  const followingRef = React.useRef(true);

  const onScroll = React.useCallback(() => {
    const box = ref.current;
    if (!box) return;
    const near = isNearBottom(box);
    followingRef.current = near;
    setFollowing(near);
  }, []);

  React.useLayoutEffect(() => {
    const box = ref.current;
    if (box && followingRef.current) box.scrollTop = box.scrollHeight;
  }, [contentVersion]);

  const jumpToEnd = React.useCallback(() => {
    const box = ref.current;
    if (!box) return;
    box.scrollTop = box.scrollHeight;
    followingRef.current = true;
    setFollowing(true);
  }, []);

  return { ref, following, onScroll, jumpToEnd };
}

/** Crafter agents: the scripted tech-tree player (`--agent scripted`). */
export { ScriptedCrafterController, createScriptedCrafterController } from './scripted.js';
export type { ScriptedCrafterOptions } from './scripted.js';
export { runScriptedEpisode } from './run-episode.js';
export type { ScriptedEpisodeResult } from './run-episode.js';

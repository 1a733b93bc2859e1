// The window's only door to the main process: runs sandboxed, bundled into one file.
import { contextBridge, ipcRenderer } from 'electron'
import { buildApi } from './api'

contextBridge.exposeInMainWorld('api', buildApi(ipcRenderer))

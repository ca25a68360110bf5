// The DICOMweb client's public names (its HTTP helpers stay inside the folder).
export { DicomWebError, type DicomWebTarget } from './httpClient';
export { multipartRelated, parseMultipart } from './multipart';
export { retrieveInstance, storeInstances } from './instances';
export {
  findSeries,
  findStudies,
  listStudyInstances,
  studySopClass,
  type InstanceRef,
  type SeriesSummary,
  type StudySummary,
} from './studySearch';

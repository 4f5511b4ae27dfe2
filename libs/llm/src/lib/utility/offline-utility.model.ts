import { offlineUtilityAnswer } from '../offline/utility-answers';
import { UtilityModel, type UtilityCompletion, type UtilityCompletionRequest } from './utility-model';

/** `aether-offline` for utility requests: rules over the quoted chat history (see `offlineUtilityAnswer`). */
export class OfflineUtilityModel extends UtilityModel {
  async complete(request: UtilityCompletionRequest): Promise<UtilityCompletion> {
    request.signal?.throwIfAborted();
    return { text: offlineUtilityAnswer(request), finishReason: 'stop' };
  }
}

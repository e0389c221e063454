// Child of the peer benchmark: LangGraph.js with its SQLite saver streams one
// reply from the simulator inside a graph node (the way a LangGraph app calls
// a model), until the parent SIGKILLs it. The saver checkpoints after the node
// returns, so what a kill mid-stream leaves is what the parent measures.
// argv: dbFile threadId baseURL
import { AIMessage, HumanMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import Database from 'better-sqlite3';
import OpenAI from 'openai';

const [dbFile, threadId, baseURL] = process.argv.slice(2) as [string, string, string];
const db = new Database(dbFile);
db.pragma('journal_mode = WAL');
const saver = new SqliteSaver(db);
const client = new OpenAI({ baseURL, apiKey: 'no-key-needed' });
let announced = false;
const graph = new StateGraph(MessagesAnnotation)
  .addNode('reply', async (state) => {
    const stream = await client.chat.completions.create({
      model: 'cairn-simulator', stream: true,
      messages: state.messages.map((m) => ({ role: m.getType() === 'human' ? 'user' as const : 'assistant' as const, content: String(m.content) })),
    });
    let text = '';
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (!announced && text) {
        announced = true;
        process.stdout.write('streaming\n');
      }
    }
    return { messages: [new AIMessage(text)] };
  })
  .addEdge(START, 'reply')
  .addEdge('reply', END)
  .compile({ checkpointer: saver });
await graph.invoke({ messages: [new HumanMessage('List every obligation with its deadline.')] }, { configurable: { thread_id: threadId } });
process.stdout.write('completed\n');
db.close();

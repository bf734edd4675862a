import type { Lexicon } from './lexicon.ts';

/** English: the language the offline model reads tools and workflows in. */
export const en: Lexicon = {
  stopWords: `a an the i im me my mine we our us you your yours it its this that these those is am are was were be been being
    do does did done doing have has had having will would shall should can could may might must to of in on at by for
    from with about into over under and or but if then so than too very just also not no yes please thank thanks
    hi hello hey there here what whats which who whom whose when where why hows get got give let like want wanted need
    needs some any all more most other such only own same as up out off again once he she they them their his her
    ok okay dont doesnt didnt cant wont ive id ill youre theres thats`,
  weakWords: 'how help problem issue question thing work use new know tell make now today',
  glossary: {},
  human: {
    persons: 'human person people someone somebody agent representative rep staff operator employee manager colleague',
    contactVerbs: 'talk speak connect transfer call chat reach contact phone',
    alone: 'human humans',
  },
  greetings: 'hi hello hey hiya greetings morning afternoon evening',
  thanks: 'thanks thank thx cheers',
  questionWords: 'how what why where when which who can could does do is are should will',
  infoWords: 'how what why where when which who',
  requestVerbs: 'cancel refund delete remove change update upgrade downgrade modify reschedule book reserve buy',
  phrases: {
    greeting: "Hi! I'm {name}.",
    handedOff: "Hi, I'm {name}, and I'll take it from here.",
    welcome: "You're welcome! Is there anything else I can help with?",
    offTopic: "Sorry, I can't help with that here.",
    human:
      "There's no person on this chat: I'm {name}, an automated assistant, and I can't transfer you to a member of staff.",
    canHelpWith: 'I can help with {topics}.',
    canDo: 'I can {capabilities}.',
    whatCanIDo: 'What can I do for you?',
    tellMeMore: 'Could you tell me a bit more about what you need?',
    unable: "Sorry, I can't {verb} that here: no tool of mine does it.",
    canOffer: "If you'd like, I can {action} for you.",
    answersInEnglish: '',
  },
};

// SPDX-License-Identifier: MIT
// Short lists: articles, prepositions, conjunctions, pronouns and the most
// common auxiliaries of each language, the words a person adds when typing a
// question ("how to install hugo on windows"). Content words are left out
// even when they are frequent: a word that can be a topic ("time", "part")
// must keep its say in the ranking.
#include "analysis/stopwords.h"

namespace taxon::analysis {

std::string_view stopword_list(std::string_view language) {
  if (language == "english")
    return "a an the and or but if of at by for with about against between into through "
           "during before after above below to from up down in out on off over under again "
           "then once here there when where why how all any both each few more most other some "
           "such no nor not only own same so than too very can will just should now i me my we "
           "our you your he him his she her it its they them their what which who whom this that "
           "these those am is are was were be been being have has had having do does did doing "
           "would could as until while";
  if (language == "french")
    return "le la les l un une des du de d au aux et ou mais donc or ni car a à dans par pour "
           "en vers avec sans sous sur chez entre je tu il elle on nous vous ils elles me te se "
           "moi toi lui leur leurs mon ma mes ton ta tes son sa ses notre nos votre vos ce cet "
           "cette ces qui que quoi dont où comment pourquoi quand est sont être avoir ai as avons "
           "avez ont fait faire ne pas plus y";
  if (language == "german")
    return "der die das den dem des ein eine einer eines einem einen und oder aber doch denn "
           "in im an am auf aus bei mit nach seit von vom zu zum zur für durch gegen ohne um "
           "über unter vor hinter neben zwischen ich du er sie es wir ihr mich dich sich uns euch "
           "mein dein sein unser euer wie was wer wo warum wann ist sind war waren sein haben hat "
           "hatte wird werden kann können nicht kein keine auch so als";
  if (language == "spanish")
    return "el la los las lo un una unos unas y o u pero ni que de del a al en con sin por "
           "para sobre entre hacia desde hasta yo tu él ella nosotros vosotros ellos ellas me te "
           "se nos os le les mi mis su sus nuestro vuestro este esta estos estas ese esa cómo "
           "qué quién dónde cuándo por qué es son está están ser estar hay ha han no sí muy";
  if (language == "italian")
    return "il lo la i gli le un uno una e ed o ma di a da in con su per tra fra del della "
           "dei delle al alla ai alle nel nella io tu lui lei noi voi loro mi ti si ci vi che "
           "chi come dove quando perché è sono essere avere ha hanno non";
  if (language == "portuguese")
    return "o a os as um uma uns umas e ou mas de do da dos das em no na nos nas por para com "
           "sem sobre entre ao aos eu tu ele ela nós vós eles elas me te se lhe meu minha seu "
           "sua que quem como onde quando porque é são ser estar ter há não";
  if (language == "dutch")
    return "de het een en of maar van in op aan met voor door bij naar uit over onder tot om "
           "ik jij je hij zij ze wij we jullie mij me hem haar ons hun mijn jouw zijn wat wie "
           "waar hoe wanneer waarom is zijn was waren heeft hebben wordt worden niet geen ook";
  if (language == "russian")
    return "и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по "
           "только ее мне было вот от меня еще нет о из ему теперь когда даже ну ли если уже "
           "или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей может "
           "они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже "
           "себе под будет ж тогда кто этот того потому этого какой совсем ним здесь этом один "
           "почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об "
           "другой хоть после над больше тот через эти нас про всего них какая много разве три "
           "эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя такой им более "
           "всегда конечно всю между";
  return {};
}

}  // namespace taxon::analysis

import type { Lexicon } from './lexicon.ts';

/**
 * Spanish: enough to tell it apart, to route it (the glossary maps its topic words to the
 * English words tools are described with) and to say the model's own sentences in it.
 */
export const es: Lexicon = {
  stopWords: `a al algo algun alguna ante con contra como cual cuando de del desde donde el ella ellos en entre era es esa
    ese eso esta estan este esto estoy fue ha han hay la las le les lo los mas me mi mis muy no nos o para pero por porque
    que quien se ser si sin sobre su sus te tengo tiene tienen tu un una uno unos y ya yo puedo puede quiero hola gracias
    favor necesito mucho poco estar`,
  weakWords: 'problema ayuda pregunta cosa',
  glossary: {
    cobraron: 'charged', cobro: 'charge', cobrar: 'charge', cargo: 'charge', cargos: 'charges', veces: 'twice', doble: 'double',
    pedido: 'order', pedidos: 'order', orden: 'order', compra: 'purchase', reembolso: 'refund', devolucion: 'return',
    devolver: 'return', factura: 'invoice', recibo: 'receipt', pago: 'payment', pagos: 'payment', tarjeta: 'card',
    dinero: 'money', envio: 'shipping', entrega: 'delivery', paquete: 'package', iniciar: 'login', sesion: 'login',
    entrar: 'login', acceder: 'access', cuenta: 'account', contrasena: 'password', clave: 'password', falla: 'error',
    caido: 'down', lenta: 'slow', lento: 'slow', aplicacion: 'app', web: 'website',
    pagina: 'website', botas: 'boots', bota: 'boots', talla: 'size', tallas: 'size', tienda: 'tent', carpa: 'tent',
    mochila: 'backpack', chaqueta: 'jacket', calcetines: 'socks', saco: 'sleeping', dormir: 'sleeping',
    disponible: 'available', disponibles: 'available', existencias: 'stock', reservar: 'reserve', apartar: 'hold',
    planes: 'plan', membresia: 'membership', precio: 'price', precios: 'pricing', cuesta: 'cost',
    cancelar: 'cancel', cancela: 'cancel', anular: 'cancel', reembolsar: 'refund', borrar: 'delete', eliminar: 'delete',
    cambiar: 'change', comprar: 'buy', garantia: 'warranty', reparacion: 'repair', reparar: 'repair', montana: 'hiking',
  },
  human: {
    persons: 'persona personas humano alguien agente representante empleado operador asesor',
    contactVerbs: 'hablar comunicar conectar llamar contactar pasar',
    alone: 'humano humana',
  },
  greetings: 'hola buenos buenas saludos',
  thanks: 'gracias',
  questionWords: 'como que por donde cuando cual quien puedo puede tienen tiene hay',
  infoWords: 'como que por donde cuando cual quien',
  requestVerbs: 'cancelar cancela anular reembolsar borrar eliminar cambiar comprar reservar',
  phrases: {
    greeting: '¡Hola!',
    handedOff: 'Hola, me ocupo yo de tu consulta.',
    welcome: '¡De nada! ¿Hay algo más en lo que pueda ayudarte?',
    offTopic: 'Lo siento, no puedo ayudar con eso aquí.',
    human: 'En este chat no hay ninguna persona: soy un asistente automático y no puedo pasarte con el personal.',
    canHelpWith: 'Puedo ayudarte con estos temas (en inglés): {topics}.',
    canDo: 'Puedo (en inglés): {capabilities}.',
    whatCanIDo: '¿En qué puedo ayudarte?',
    tellMeMore: '¿Puedes contarme un poco más de lo que necesitas?',
    unable: 'Lo siento, eso no lo puedo hacer aquí: ninguna de mis herramientas lo hace.',
    canOffer: 'Si quieres, puedo hacer esto (en inglés): {action}.',
    answersInEnglish: 'Este asistente sin conexión responde en inglés; esto es lo que puedo decirte:',
  },
};
